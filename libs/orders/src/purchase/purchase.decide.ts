import { accessedBy, conflict, invalid, isTaxInclusiveMarket, MAX_LINES, MAX_QUANTITY, policyInForce } from '@csp/domain';
import type { PurchaseSoftware } from '../order.commands';
import type { OrderEvent, PurchasedLine } from '../order.events';
import type { OrderState } from '../order.state';
import type { Now, OrderEnvironment } from '../order.rules';

export function decidePurchase(command: PurchaseSoftware, state: OrderState, env: OrderEnvironment, now: Now): OrderEvent[] {
  const { orderId, customer, lines, idempotencyKey, requestHash } = command.data;
  if (state.status === 'placed') {
    // Same idempotency key: the same request is a retry (answered with the first order), another is a misuse.
    if (requestHash !== undefined && state.requestHash === requestHash) return [];
    if (requestHash !== undefined)
      throw conflict('idempotency_key_reused', 'This idempotency key was used for a different purchase', { field: 'idempotencyKey' });
    throw conflict('order_exists', 'This order already exists');
  }
  if (lines.length === 0 || lines.length > MAX_LINES) throw invalid('invalid_lines', `An order has 1 to ${MAX_LINES} lines`, { field: 'lines' });
  const purchased: PurchasedLine[] = lines.map(({ sku: skuId, quantity }, index) => {
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      throw invalid('invalid_quantity', `A quantity is a whole number from 1 to ${MAX_QUANTITY}`, { field: `lines[${index}].quantity` });
    }
    const sku = env.catalog.find(skuId);
    if (!sku) throw invalid('unknown_sku', `There is no SKU "${skuId}" in the catalog`, { field: `lines[${index}].sku` });
    if (sku.unavailableMarkets.includes(customer.market)) {
      throw invalid('market_not_available', `${sku.name} cannot be sold to a customer in market ${customer.market}`, {
        field: `lines[${index}].sku`,
        market: customer.market,
      });
    }
    const amount = sku.unitPrice.amount * quantity;
    if (!Number.isSafeInteger(amount)) throw invalid('invalid_quantity', 'The line amount is too large', { field: `lines[${index}].quantity` });
    return {
      line: index + 1,
      sku: sku.sku,
      family: sku.family,
      name: sku.name,
      licenseType: sku.licenseType,
      ...(sku.termMonths !== undefined ? { termMonths: sku.termMonths } : {}),
      quantity,
      unitPrice: sku.unitPrice.amount,
      amount,
      currency: sku.unitPrice.currency,
      versions: [...sku.versions],
      languages: [...sku.languages],
      fileTypes: [...sku.fileTypes],
      downgradeDepth: sku.downgradeDepth,
      cancellationClass: sku.cancellationClass,
    };
  });
  return [
    {
      type: 'SoftwarePurchased',
      data: {
        orderId,
        customerId: customer.customerId,
        customerTenantId: customer.tenantId,
        partnerTenantId: customer.partnerTenantId,
        market: customer.market,
        taxInclusive: isTaxInclusiveMarket(customer.market),
        lines: purchased,
        policy: policyInForce(env.policies, now.iso),
        purchasedAt: now.iso,
        purchasedBy: accessedBy(command),
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        ...(requestHash !== undefined ? { requestHash } : {}),
      },
    },
  ];
}
