import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CancellationClass, LicenseType } from '@csp/domain';
import { MONTH_PATTERN } from './query-params';

// The fields the answers of several routes share, each declared once: its type, format, bounds and
// example are the same wherever it is sent, so that a client reads one meaning for one name. A
// response class takes them by decorator (one field, said in its own words where it needs them) or
// picks them from the classes below (fields that travel together).

/** A shared field's schema: a value of its own, never an object with fields. */
interface FieldSchema {
  readonly type?: 'integer' | 'boolean';
  readonly format?: 'uuid';
  readonly pattern?: string;
  readonly minimum?: number;
  readonly description?: string;
  readonly example: string | number | boolean;
}

/**
 * A shared field's decorator: the field always sent, or `.optional()`, sent only when the answer has
 * one (the property is `?`). The description, where given, says what the field means in that answer
 * when the shared words do not.
 */
interface SharedField {
  (description?: string): PropertyDecorator;
  optional(description?: string): PropertyDecorator;
}

const field = (schema: FieldSchema): SharedField => {
  const said = (description?: string) => ({ ...schema, description: description ?? schema.description });
  return Object.assign((description?: string) => ApiProperty(said(description)), {
    optional: (description?: string) => ApiPropertyOptional(said(description)),
  });
};

/** The example of each id, so that every answer's example names the same order, customer, link… */
const EXAMPLE_ID = {
  order: 'af3daed3-8944-5a02-b9b2-c7fe145e8414',
  customer: '41ddd452-014d-4781-83b7-2474676fe5c3',
  customerTenant: '5cd83479-4605-4844-a86e-2bc6f93f5231',
  partnerTenant: 'aaaaaaaa-0000-4000-8000-000000000001',
  link: 'c0459ce2-ce51-422c-9885-e9fb7aee8150',
  refundRequest: '97cca66e-bc33-4e02-9e1c-541b8c836ccc',
  webhook: '3d6f0a9e-2b4c-4e8a-9f1d-7c5b3a2e1f04',
  event: '09c57446-925c-4d8b-881b-5a2a1f92d6d2',
} as const;
const id = (of: keyof typeof EXAMPLE_ID, description?: string) => field({ format: 'uuid', description, example: EXAMPLE_ID[of] });

export const OrderIdProperty = id('order');
export const CustomerIdProperty = id('customer');
/** The customer's own tenant (its directory), the id CSP knows it by. */
export const CustomerTenantIdProperty = id('customerTenant', "The customer's tenant id");
/** The partner's tenant: whose customers, orders and invoices they are. */
export const PartnerTenantIdProperty = id('partnerTenant', 'The partner tenant');
export const LinkIdProperty = id('link');
/** A refund request's id, which the credit its approval issues carries too. */
export const RefundRequestIdProperty = id('refundRequest');
export const WebhookIdProperty = id('webhook');
export const EventIdProperty = id('event');

/** The position a command's events were committed at: what a query is given as `?atLeast=` to see them. */
export const CommittedPositionProperty = field({ description: 'The position the command was committed at, for `?atLeast=` (read-your-writes)', example: '4' });

/** A page's continuation: sent only when another page follows (the last page has none). */
export const NextCursorProperty = (): PropertyDecorator =>
  ApiPropertyOptional({
    description: 'Present when more follow: pass it as `cursor` (with the same other parameters) for the next page; opaque',
    example: 'MDAwMTc3MjQ0NjQwMDAwMHxhZjNkYWVkMy04OTQ0LTVhMDItYjliMi1jN2ZlMTQ1ZTg0MTQ',
  });

/** A count of things (rows, events, days…): never negative; what it counts, and a likely figure, are each answer's own. */
const count = (example: number) => field({ type: 'integer', minimum: 0, example });
export const CountProperty = Object.assign((description: string, example: number) => count(example)(description), {
  optional: (description: string, example: number) => count(example).optional(description),
});

export const AmountProperty = field({ type: 'integer', description: 'Integer minor units (cents) of `currency`', example: 107900 });
export const CurrencyProperty = field({ description: 'ISO 4217 code', example: 'USD' });
export const TaxInclusiveProperty = field({ description: 'Whether the amounts include taxes (purchases in AU and BR)', example: false });
/** The monthly invoice a credit goes on. */
export const InvoiceMonthProperty = field({ pattern: MONTH_PATTERN, description: 'YYYY-MM of the invoice that carries the credit', example: '2026-04' });
export const MarketProperty = field({ description: 'ISO 3166-1 alpha-2', example: 'FR' });
export const DomainProperty = field({ description: 'Primary domain, lower case (IDNA)', example: 'contoso.example' });
/** How audits name a product key: never the key itself. */
export const KeyFingerprintProperty = field({
  description: '`sha256:<hex>` of the key: how audits name it, never the key itself',
  example: 'sha256:0053f3770188b1fff2c36e9f8ed5de84',
});

export const SkuProperty = field({ description: 'Catalog SKU id', example: 'WS2025-STD' });
export const FamilyProperty = field({ description: 'Product family', example: 'Windows Server' });
export const ProductNameProperty = field({ description: 'Product name', example: 'Windows Server 2025 Standard (16 cores)' });
export const LineProperty = field({ type: 'integer', minimum: 1, description: 'Order line, numbered from 1 in request order', example: 1 });

const LICENSE_TYPES: LicenseType[] = ['perpetual', 'subscription'];
const CANCELLATION_CLASSES: CancellationClass[] = ['standard', 'support-request', 'non-cancellable'];

/**
 * What the answers say of software: the catalog's SKU (the catalog, an order's lines, the software
 * list), the order line that bought it, and the version, language and file type a key or a link is
 * for. Never a schema of its own: answers pick from it (PickType).
 */
export class SoftwareFields {
  @LineProperty()
  line!: number;

  @SkuProperty()
  sku!: string;

  @FamilyProperty()
  family!: string;

  @ProductNameProperty()
  name!: string;

  @ApiProperty({ enum: LICENSE_TYPES, example: 'perpetual' })
  licenseType!: LicenseType;

  @ApiProperty({
    enum: CANCELLATION_CLASSES,
    description: '`standard`: cancellable inside the policy window; `support-request`: only by refund request; `non-cancellable`: never',
    example: 'standard',
  })
  cancellationClass!: CancellationClass;

  @ApiProperty({ type: [String], example: ['en-us', 'fr-fr', 'de-de'] })
  languages!: string[];

  @ApiProperty({ type: [String], example: ['x64'] })
  fileTypes!: string[];

  @ApiProperty({ description: 'The version bought or, within the downgrade rights, one or two versions older', example: '2025' })
  version!: string;

  @ApiProperty({ description: 'Language code', example: 'en-us' })
  language!: string;

  @ApiProperty({ description: 'File type / bitness', example: 'x64' })
  fileType!: string;
}
