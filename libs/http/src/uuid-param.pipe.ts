import { Injectable, type PipeTransform } from '@nestjs/common';
import { parseId } from '@csp/domain';
import { ApiError } from './api-error';

/** Ids in paths are the product's own UUIDs (in either case); anything else names nothing, so 404 (SPEC §2). */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  transform(value: string): string {
    const id = parseId(value);
    if (!id) throw new ApiError(404, 'not_found', 'No such resource');
    return id;
  }
}
