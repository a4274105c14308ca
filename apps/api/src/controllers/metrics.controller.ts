import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { NoStoreRefusal, Public } from '@csp/http';
import { Metrics } from '@csp/observability';

/**
 * The Prometheus scrape of this process (the projector serves the same on its own port). Public
 * like the probes: it is read by the monitoring system, and its labels hold no ids, tenants or users.
 * It never refuses with 503: what a store could not tell is left out of the scrape.
 */
@NoStoreRefusal()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Public()
  @ApiOperation({ summary: "Read this process's metrics (Prometheus text exposition format)" })
  @ApiOkResponse({
    description:
      'The csp_* metrics (HTTP requests, commands, event store appends, read-model lag, projection batches, webhooks, key-access throttling, SSE clients) and the Node.js process metrics; README, Operating it',
    content: {
      'text/plain': {
        schema: {
          type: 'string',
          example: '# HELP csp_sse_clients Clients connected to the event stream (GET /v1/events)\n# TYPE csp_sse_clients gauge\ncsp_sse_clients 0\n',
        },
      },
    },
  })
  async scrape(@Res() response: Response): Promise<void> {
    const { contentType, body } = await this.metrics.scrape();
    response.status(200).setHeader('Content-Type', contentType);
    response.send(body);
  }
}
