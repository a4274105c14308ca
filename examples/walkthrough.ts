/**
 * The README's walk through the life of an order, as a program: a client of the product that knows
 * nothing of its code, only the client generated from its OpenAPI document (examples/client/api.d.ts,
 * `npm run client:generate`) and openapi-fetch. Every path, parameter and body below is checked against
 * the document by the compiler, and so is every field the program reads from an answer.
 *
 *   CSP_API_URL=http://localhost:3000 AGENT_TOKEN=… BACK_OFFICE_TOKEN=… npm run example:walkthrough
 *
 * AGENT_TOKEN is a partner's admin agent (`npm run -s token -- --role admin-agent --tid $PARTNER`),
 * BACK_OFFICE_TOKEN the back office that decides refund requests and reads the credits
 * (`npm run -s token -- --role back-office`). It prints what each step answered and exits non-zero
 * at the first step that does not go as the README says.
 */
import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';
import type { components, paths } from './client/api';

const baseUrl = process.env.CSP_API_URL || 'http://localhost:3000';
const token = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: mint one with \`npm run -s token -- --role …\` (see the comment at the top of this file)`);
  return value;
};

// One client per caller: the bearer token is the caller. The download needs none.
const agent = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token('AGENT_TOKEN')}` } });
const backOffice = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token('BACK_OFFICE_TOKEN')}` } });

type Refusal = components['schemas']['ErrorBody'];
/** What openapi-fetch answers: the body of a success, or the refusal (the shared error body), and the response. */
type Answer<Data> = { data?: Data; error?: Refusal; response: Response };

/** What a call that must succeed answered: its body, or an error naming the step and the refusal. */
async function expectSuccess<Data>(step: string, call: Answer<Data> | Promise<Answer<Data>>): Promise<Exclude<Data, undefined>> {
  const { data, error, response } = await call;
  if (error !== undefined) throw new Error(`${step}: ${response.status} ${error.error.code}: ${error.error.message}`);
  if (!response.ok || data === undefined) throw new Error(`${step}: ${response.status} with no answer`);
  return data as Exclude<Data, undefined>; // checked just above: the compiler does not narrow a type parameter
}

/** What a call that must be refused answered: its status and the refusal's code. */
async function expectRefusal(step: string, call: Promise<Answer<unknown>>): Promise<{ status: number; code: string }> {
  const { error, response } = await call;
  if (error === undefined) throw new Error(`${step}: ${response.status}, where a refusal was expected`);
  return { status: response.status, code: error.error.code };
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`not as the README says: ${what}`);
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function walkThrough(): Promise<void> {
  // A customer, and what can be sold.
  const domain = `contoso-${randomUUID().slice(0, 8)}.example`;
  const customer = await expectSuccess('register a customer', agent.POST('/v1/customers', { body: { name: 'Contoso', domain, market: 'FR' } }));
  say(`customer ${customer.customerId} (tenant ${customer.tenantId}, ${domain})`);
  const catalog = await expectSuccess('read the catalog', agent.GET('/v1/catalog'));
  const item = catalog.items.find((i) => i.sku === 'WS2025-STD');
  if (!item) throw new Error('the catalog sells no WS2025-STD');
  say(`catalog: ${catalog.items.length} SKUs; ${item.sku} "${item.name}" at ${item.unitPrice.amount} ${item.unitPrice.currency} (minor units)`);

  // Purchase, retry-safe with an idempotency key: sent twice, bought once.
  const purchase = { lines: [{ sku: item.sku, quantity: 2 }], idempotencyKey: `po-${randomUUID()}` };
  const order = await expectSuccess(
    'purchase',
    agent.POST('/v1/customers/{customerId}/orders', { params: { path: { customerId: customer.customerId } }, body: purchase }),
  );
  const retried = await agent.POST('/v1/customers/{customerId}/orders', { params: { path: { customerId: customer.customerId } }, body: purchase });
  const again = await expectSuccess('purchase again with the same key', retried);
  check(again.orderId === order.orderId && retried.response.headers.get('Idempotent-Replayed') === 'true', 'a retried purchase answers the same order');
  const paid = order.totals[0];
  if (!paid) throw new Error('the order has no total');
  say(`order ${order.orderId}: ${paid.amount} ${paid.currency}; the retry answered the same order`);

  // Reveal the MAK key: the same selection gives the same key.
  const selection = { line: 1, version: item.versions[0]!, language: item.languages[0]!, fileType: item.fileTypes[0]! };
  const onTheOrder = { params: { path: { orderId: order.orderId } } };
  const key = await expectSuccess('reveal the key', agent.POST('/v1/orders/{orderId}/keys', { ...onTheOrder, body: selection }));
  const sameKey = await expectSuccess('reveal it again', agent.POST('/v1/orders/{orderId}/keys', { ...onTheOrder, body: selection }));
  check(sameKey.productKey === key.productKey, 'the same selection reveals the same key');
  say(`${key.keyType} key ${key.productKey}`);

  // A download link (14 days or 50 downloads), and a download through it: no token, the link is the credential.
  const link = await expectSuccess('issue a download link', agent.POST('/v1/orders/{orderId}/download-links', { ...onTheOrder, body: selection }));
  say(`link until ${link.expiresAt}, ${link.downloadsRemaining} downloads`);
  const linkUrl = new URL(link.url);
  const anyone = createClient<paths>({ baseUrl: linkUrl.origin });
  const linkToken = decodeURIComponent(linkUrl.pathname.split('/').pop()!);
  const throughTheLink = { params: { path: { token: linkToken } } };
  const download = await expectSuccess('download', anyone.GET('/v1/downloads/{token}', throughTheLink));
  check(download.downloadsRemaining === link.downloadsRemaining - 1, 'a download counts against the link');
  say(`downloaded ${download.fileName}, ${download.downloadsRemaining} left`);

  // Can it still be cancelled?
  const eligibility = await expectSuccess('cancellation eligibility', agent.GET('/v1/orders/{orderId}/cancellation-eligibility', onTheOrder));
  check(eligibility.eligible, 'a perpetual licence bought today can be cancelled');
  say(`cancellable for ${eligibility.daysRemaining} more days`);

  // A refund request on part of the order, filed by the partner and approved by the back office.
  const requested = Math.floor(paid.amount / 10);
  const refund = await expectSuccess(
    'file a refund request',
    agent.POST('/v1/refund-requests', {
      body: {
        orderId: order.orderId,
        tenantId: order.customerTenantId,
        reason: 'one licence was never deployed',
        amount: requested,
        contact: { name: 'Alex Martin', email: 'alex.martin@contoso.example', phone: '+33 1 23 45 67 89' },
      },
    }),
  );
  const onTheRequest = { params: { path: { refundRequestId: refund.refundRequestId } } };
  const approved = await expectSuccess(
    'approve the refund request',
    backOffice.POST('/v1/refund-requests/{refundRequestId}/approve', { ...onTheRequest, body: { note: 'goodwill' } }),
  );
  const credit = approved.credit;
  check(credit !== undefined && credit.amount === requested, 'an approval without an amount credits the amount requested');
  say(`refund request ${refund.refundRequestId} approved: ${credit!.amount} ${credit!.currency} on the ${credit!.invoiceMonth} invoice`);
  // Decided once: a second decision is refused, with the error body the document describes.
  const twice = await expectRefusal('approve it twice', backOffice.POST('/v1/refund-requests/{refundRequestId}/approve', { ...onTheRequest, body: {} }));
  check(twice.status === 409 && twice.code === 'refund_request_decided', 'a decided request is not decided again');
  say(`approving it again: ${twice.status} ${twice.code}`);

  // Cancel: what the order has left goes on next month's invoice, and its keys and links are revoked.
  const cancellation = await expectSuccess('cancel', agent.POST('/v1/orders/{orderId}/cancel', { ...onTheOrder, body: { reason: 'customer changed plans' } }));
  const cancellationCredit = cancellation.credits.reduce((sum, credit) => sum + credit.amount, 0);
  check(cancellationCredit === paid.amount - requested, 'a cancellation after a refund credits what the order has left');
  say(`order ${cancellation.status}: ${cancellationCredit} ${paid.currency} credited`);
  const revoked = await expectRefusal('download after the cancellation', anyone.GET('/v1/downloads/{token}', throughTheLink));
  check(revoked.status === 410, 'a cancelled order revokes its download links');
  say(`the link now answers ${revoked.status} ${revoked.code}`);

  // The credits read model: reading after the cancellation's position sees it (read-your-writes).
  const credits = await expectSuccess(
    'read the credits',
    backOffice.GET('/v1/credits', { params: { query: { customerId: customer.customerId, atLeast: cancellation.position } } }),
  );
  check(
    credits.totals.length === 1 && credits.totals[0]!.amount === paid.amount && credits.totals[0]!.currency === paid.currency,
    'the refund and the cancellation credit what the order was paid, no more',
  );
  say(`credits: ${credits.items.map((credit) => `${credit.source} ${credit.amount}`).join(', ')}; total ${credits.totals[0]!.amount} ${paid.currency}`);
  say('walk-through complete');
}

walkThrough().catch((error: unknown) => {
  process.stderr.write(`walk-through failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
