import { Controller, Get, Param, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RecordDownloadCommand } from '@csp/application';
import { Public, type AuthenticatedRequest } from '../http/auth';

/**
 * The download link itself: no token needed, the link's secret is the credential, and it grants
 * a download only (never a key). 200 with what is being downloaded; 410 once dead.
 */
@Controller('v1/downloads')
export class DownloadsController {
  constructor(private readonly commands: CommandBus) {}

  @Get(':token')
  @Public()
  download(@Param('token') token: string, @Req() request: AuthenticatedRequest) {
    const userAgent = request.get('user-agent')?.slice(0, 200);
    const client = { ...(request.ip ? { ip: request.ip } : {}), ...(userAgent ? { userAgent } : {}) };
    return this.commands.execute(new RecordDownloadCommand(token, client, request.correlationId, request.requestId));
  }
}
