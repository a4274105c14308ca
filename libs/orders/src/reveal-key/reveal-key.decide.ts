import { accessedBy, invalid } from '@csp/domain';
import type { RevealKey } from '../order.commands';
import type { OrderEvent } from '../order.events';
import { selectionKey, type PlacedOrder } from '../order.state';
import { selectedLine, selectionOf, type Now } from '../order.rules';

export function decideRevealKey(command: RevealKey, order: PlacedOrder, now: Now): OrderEvent[] {
  const { keyType, newKey } = command.data;
  if (keyType !== undefined) {
    const type = keyType.toUpperCase();
    if (type === 'KMS') {
      throw invalid('kms_not_available', 'CSP purchases activate with MAK (multiple activation) keys; KMS keys are not available', { field: 'keyType' });
    }
    if (type !== 'MAK') throw invalid('invalid_key_type', 'keyType must be MAK', { field: 'keyType' });
  }
  const selection = selectionOf(command.data);
  const line = selectedLine(order, selection);
  const events: OrderEvent[] = [];
  let key = order.keys.get(selectionKey(selection));
  if (!key) {
    events.push({
      type: 'ProductKeyAssigned',
      data: {
        ...order.ref,
        ...selection,
        sku: line.sku,
        keyId: newKey.keyId,
        keyType: 'MAK',
        fingerprint: newKey.fingerprint,
        material: newKey.material,
        assignedAt: now.iso,
      },
    });
    key = { ...newKey, line: line.line, revoked: false };
  }
  events.push({
    type: 'ProductKeyRevealed',
    data: { ...order.ref, ...selection, sku: line.sku, keyId: key.keyId, fingerprint: key.fingerprint, revealedAt: now.iso, revealedBy: accessedBy(command) },
  });
  return events;
}
