import { SelectionDto } from '../selection.dto';

export class IssueDownloadLinkDto extends SelectionDto {}
