import { Controller, Get, Param, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiRefusals, Public, type AuthenticatedRequest } from '@csp/http';
import { CheckDownloadLinkQuery, RecordDownloadCommand } from './download.handlers';
import { DownloadResponse } from './download.response';

/**
 * The download link itself: no token needed, the link's secret is the credential, and it grants
 * a download only (never a key). 200 with what is being downloaded; 410 once dead.
 */
@Controller('v1/downloads')
export class DownloadsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get(':token')
  @Public()
  @ApiOperation({ summary: 'Download software through a download link' })
  @ApiOkResponse({
    type: DownloadResponse,
    description: 'The download, counted and recorded. A `HEAD` answers the same status and headers and counts nothing.',
  })
  @ApiRefusals({
    404: '`link_not_found`',
    409: '`concurrent_change`: the link was used concurrently too many times; retry the download',
    410: '`link_expired`, `link_exhausted` or `link_revoked`: nothing is counted',
  })
  download(@Param('token') token: string, @Req() request: AuthenticatedRequest): Promise<DownloadResponse> {
    // Express answers HEAD with this GET route: SPEC says a HEAD counts no download, so it only
    // asks what a GET would answer (link checkers and proxies send HEADs).
    if (request.method === 'HEAD') return this.queries.execute(new CheckDownloadLinkQuery(token));
    const userAgent = request.get('user-agent')?.slice(0, 200);
    const client = { ...(request.ip ? { ip: request.ip } : {}), ...(userAgent ? { userAgent } : {}) };
    return this.commands.execute(new RecordDownloadCommand(token, client, request.correlationId, request.requestId));
  }
}
