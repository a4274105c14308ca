import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import {
  APPLICATION_HANDLERS,
  CLOCK,
  EVENT_STORE,
  JsonLogger,
  KEY_ACCESS_LIMITS,
  RATE_LIMITER,
  READ_SIDE,
  REFERENCE_DATA,
  StreamRepository,
} from '@csp/application';
import { ANALYTICS_CONTROLLERS, ANALYTICS_HANDLERS } from '@csp/analytics/module';
import { CREDITS_CONTROLLERS, CREDITS_HANDLERS } from '@csp/credits/module';
import { CUSTOMERS_CONTROLLERS, CUSTOMERS_HANDLERS } from '@csp/customers/module';
import type { Runtime } from '@csp/runtime';
import { ProductKeyVault, TenantKeyring, TokenVerifier } from '@csp/security';
import { WEBHOOK_CONTROLLERS, WEBHOOK_DESTINATIONS, WEBHOOK_HANDLERS } from '@csp/webhooks/module';
import { ActivityLogController } from './controllers/activity-log.controller';
import { CatalogController } from './controllers/catalog.controller';
import { CustomerReadsController } from './controllers/customer-reads.controller';
import { EventsController } from './controllers/events.controller';
import { DownloadsController } from './controllers/downloads.controller';
import { HealthController } from './controllers/health.controller';
import { MigrationController } from './controllers/migration.controller';
import { OrdersController } from './controllers/orders.controller';
import { RefundRequestsController } from './controllers/refund-requests.controller';
import { ApiExceptionFilter, AuthGuard } from '@csp/http';
import { APP_CONFIG } from './tokens';

@Module({})
export class ApiModule {
  /** The HTTP app over a runtime built from configuration (or by a test). */
  static over(runtime: Runtime): DynamicModule {
    return {
      module: ApiModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        HealthController,
        CatalogController,
        ...CUSTOMERS_CONTROLLERS,
        CustomerReadsController,
        ActivityLogController,
        ...CREDITS_CONTROLLERS,
        EventsController,
        ...WEBHOOK_CONTROLLERS,
        ...ANALYTICS_CONTROLLERS,
        OrdersController,
        DownloadsController,
        RefundRequestsController,
        MigrationController,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: runtime.config },
        { provide: EVENT_STORE, useValue: runtime.store },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: READ_SIDE, useValue: runtime.readSide },
        { provide: RATE_LIMITER, useValue: runtime.rateLimiter },
        { provide: KEY_ACCESS_LIMITS, useValue: runtime.config.keyAccessLimits },
        { provide: REFERENCE_DATA, useValue: runtime.reference },
        { provide: WEBHOOK_DESTINATIONS, useValue: runtime.webhookDestinations },
        { provide: ProductKeyVault, useValue: runtime.vault },
        { provide: TenantKeyring, useValue: runtime.keyring },
        { provide: TokenVerifier, useValue: runtime.verifier },
        { provide: JsonLogger, useValue: runtime.logger },
        { provide: StreamRepository, useValue: new StreamRepository(runtime.store) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useFactory: (logger: JsonLogger) => new ApiExceptionFilter(logger), inject: [JsonLogger] },
        ...APPLICATION_HANDLERS,
        ...CUSTOMERS_HANDLERS,
        ...WEBHOOK_HANDLERS,
        ...ANALYTICS_HANDLERS,
        ...CREDITS_HANDLERS,
      ],
    };
  }
}
