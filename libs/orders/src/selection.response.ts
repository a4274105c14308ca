import { PickType } from '@nestjs/swagger';
import { SoftwareFields } from '@csp/http';

/** Which software a key or link is for, as the answers repeat it (Selection, order.events.ts). */
export class SelectionResponse extends PickType(SoftwareFields, ['line', 'version', 'language', 'fileType'] as const) {}
