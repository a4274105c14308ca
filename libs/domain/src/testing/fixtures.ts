// Tests may read files; the domain itself is handed its data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalog, type Catalog } from '../catalog/catalog';
import { parseMarkets, type Markets } from '../catalog/markets';
import type { CancellationPolicy } from '../policy/cancellation-policy';
import type { Actor } from '../shared/actor';

export const PARTNER = '11111111-1111-4111-8111-111111111111';
export const CUSTOMER_TENANT = '22222222-2222-4222-8222-222222222222';
export const CUSTOMER_ID = '33333333-3333-4333-8333-333333333333';
export const ORDER_ID = '44444444-4444-4444-8444-444444444444';

export const agent: Actor = { sub: 'agent-1', tid: PARTNER, roles: ['admin-agent'] };

/** The policy in force since 30 June 2023: 30 days for perpetual licences, 7 for subscriptions. */
export const CURRENT_POLICY: CancellationPolicy = {
  id: 'csp-2023-06-30',
  effectiveFrom: '2023-06-30T00:00:00.000Z',
  perpetual: { windowHours: 720, credit: 'full' },
  subscription: { windowHours: 168, credit: 'prorated' },
};

export const policies: CancellationPolicy[] = [
  {
    id: 'csp-legacy-60-days',
    effectiveFrom: '1970-01-01T00:00:00.000Z',
    perpetual: { windowHours: 1440, credit: 'full' },
    subscription: { windowHours: 1440, credit: 'prorated' },
  },
  CURRENT_POLICY,
];

const sku = (fields: Record<string, unknown>) => ({
  family: 'Windows Server',
  name: String(fields.sku),
  unitPrice: { amount: 100_000, currency: 'USD' },
  versions: ['2025', '2022', '2019', '2016'],
  languages: ['en-us', 'fr-fr'],
  fileTypes: ['x64'],
  downgradeDepth: 2,
  cancellationClass: 'standard',
  ...fields,
});

export const catalog: Catalog = parseCatalog(
  {
    items: [
      sku({ sku: 'WS-STD', licenseType: 'perpetual' }),
      sku({
        sku: 'OFFICE-PP',
        family: 'Office',
        licenseType: 'perpetual',
        versions: ['2024', '2021', '2019'],
        downgradeDepth: 1,
        fileTypes: ['x64', 'x86'],
        unitPrice: { amount: 57_400, currency: 'USD' },
      }),
      sku({ sku: 'WS-SUB-1Y', licenseType: 'subscription', termMonths: 12, unitPrice: { amount: 36_500, currency: 'USD' } }),
      sku({ sku: 'WS-SUB-3Y', licenseType: 'subscription', termMonths: 36, unitPrice: { amount: 109_600, currency: 'USD' } }),
      sku({ sku: 'ESU', licenseType: 'subscription', termMonths: 12, cancellationClass: 'support-request', downgradeDepth: 0 }),
      sku({ sku: 'SLES', licenseType: 'subscription', termMonths: 12, cancellationClass: 'non-cancellable' }),
      sku({ sku: 'AZ-RI', licenseType: 'subscription', termMonths: 12, unavailableMarkets: '@azure-unavailable-markets', versions: ['1'], downgradeDepth: 0 }),
    ],
  },
  ['AQ', 'CN'],
);

export const env = { catalog, policies };

/** The shipped list of officially assigned ISO 3166-1 alpha-2 codes. */
export const markets: Markets = parseMarkets(JSON.parse(readFileSync(join(__dirname, '../../../../config/iso-3166-1-alpha-2.json'), 'utf8')));
