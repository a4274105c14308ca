// The HTTP platform: what every context's controllers use (auth decorators, pipes, read-your-writes,
// errors, query parameters, CSV) and what the API's entry point wires (guard, filter, body parser,
// limits, access log, request context, OpenAPI). Nest code: import it from controllers and apps only.
export { Authorize, AuthGuard, Ctx, Public, type AuthenticatedRequest, type RequestContext } from './auth';
export { badRequest } from './api-error';
export { CsvWhenAsked } from './csv-negotiation';
export type { Answer, Documented } from './answer';
export { ApiRefusals, ConflictFree, NoStoreRefusal } from './refusals';
export { accessLog } from './access-log';
export { httpMetrics } from './http-metrics';
export { httpTracing } from './http-tracing';
export { ApiExceptionFilter } from './exception.filter';
export { applyHttpLimits } from './http-server';
export { ListeningExpressAdapter } from './listening-adapter';
export { jsonBody } from './json-body';
export { Money, PerCurrencyProperty } from './money.response';
export {
  AmountProperty,
  CommittedPositionProperty,
  CountProperty,
  CurrencyProperty,
  CustomerIdProperty,
  CustomerTenantIdProperty,
  DomainProperty,
  EventIdProperty,
  FamilyProperty,
  InvoiceMonthProperty,
  KeyFingerprintProperty,
  LineProperty,
  LinkIdProperty,
  MarketProperty,
  NextCursorProperty,
  OrderIdProperty,
  PartnerTenantIdProperty,
  ProductNameProperty,
  RefundRequestIdProperty,
  SkuProperty,
  SoftwareFields,
  TaxInclusiveProperty,
  WebhookIdProperty,
} from './response-fields';
export { serveOpenApi } from './openapi';
export { IsId, MONTH_PATTERN, PagedQueryDto, QueryId, QueryLimit, QueryMonth, QueryParam, single, wholeNumber } from './query-params';
export { OptionalTextList } from './body-fields';
export { CommandRoute, QueryRoute, ReadByIdController, ReadRoute } from './routes';
export { ReadYourWrites, ReadYourWritesQueryDto } from './read-your-writes';
export { requestContext } from './request-context.middleware';
export { UuidParam } from './uuid-param.pipe';
export { strictValidationPipe } from './validation';
