import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import {
  APP_CONFIG,
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
import { AUDIT_CONTROLLERS, AUDIT_HANDLERS } from '@csp/audit/module';
import { CREDITS_CONTROLLERS, CREDITS_HANDLERS } from '@csp/credits/module';
import { ORDERS_CONTROLLERS, ORDERS_HANDLERS } from '@csp/orders/module';
import { REFUNDS_CONTROLLERS, REFUNDS_HANDLERS } from '@csp/refunds/module';
import { CUSTOMERS_CONTROLLERS, CUSTOMERS_HANDLERS } from '@csp/customers/module';
import type { Runtime } from '@csp/runtime';
import { ProductKeyVault, TenantKeyring, TokenVerifier } from '@csp/security';
import { WEBHOOK_CONTROLLERS, WEBHOOK_DESTINATIONS, WEBHOOK_HANDLERS } from '@csp/webhooks/module';
import { CatalogController } from './controllers/catalog.controller';
import { EventsController } from './controllers/events.controller';
import { HealthController } from './controllers/health.controller';
import { MigrationController } from './controllers/migration.controller';
import { MetricsController } from './controllers/metrics.controller';
import { ApiExceptionFilter, AuthGuard } from '@csp/http';
import { Metrics } from '@csp/observability';

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
        ...AUDIT_CONTROLLERS,
        ...CREDITS_CONTROLLERS,
        EventsController,
        ...WEBHOOK_CONTROLLERS,
        ...ANALYTICS_CONTROLLERS,
        ...ORDERS_CONTROLLERS,
        ...REFUNDS_CONTROLLERS,
        MigrationController,
        // GET /metrics exists where there are metrics (METRICS=false turns both off).
        ...(runtime.metrics ? [MetricsController] : []),
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
        ...(runtime.metrics ? [{ provide: Metrics, useValue: runtime.metrics }] : []),
        { provide: StreamRepository, useValue: new StreamRepository(runtime.store) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useFactory: (logger: JsonLogger) => new ApiExceptionFilter(logger), inject: [JsonLogger] },
        ...APPLICATION_HANDLERS,
        ...CUSTOMERS_HANDLERS,
        ...WEBHOOK_HANDLERS,
        ...ANALYTICS_HANDLERS,
        ...CREDITS_HANDLERS,
        ...REFUNDS_HANDLERS,
        ...ORDERS_HANDLERS,
        ...AUDIT_HANDLERS,
      ],
    };
  }
}
