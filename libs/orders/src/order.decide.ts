import { instantMs, isoOf } from '@csp/domain';
import { decideCancelOrder } from './cancel/cancel-order.decide';
import { decideIssueDownloadLink } from './download-links/issue-download-link.decide';
import { decideRecordDownload } from './download-links/record-download.decide';
import type { OrderCommand } from './order.commands';
import type { OrderEvent } from './order.events';
import { placed, type Now, type OrderEnvironment } from './order.rules';
import type { OrderState } from './order.state';
import { decidePurchase } from './purchase/purchase.decide';
import { decideRevealKey } from './reveal-key/reveal-key.decide';

/** Decides an order command: each command's decision is in its feature's folder. */
export function decideOrder(command: OrderCommand, state: OrderState, env: OrderEnvironment): OrderEvent[] {
  const ms = instantMs(command.metadata.now, 'now');
  const now: Now = { ms, iso: isoOf(ms) };
  switch (command.type) {
    case 'PurchaseSoftware':
      return decidePurchase(command, state, env, now);
    case 'RevealKey':
      return decideRevealKey(command, placed(state), now);
    case 'IssueDownloadLink':
      return decideIssueDownloadLink(command, placed(state), now);
    case 'RecordDownload':
      return decideRecordDownload(command, placed(state), now);
    case 'CancelOrder':
      return decideCancelOrder(command, placed(state), now);
  }
}
