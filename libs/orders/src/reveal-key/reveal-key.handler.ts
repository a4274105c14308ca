import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, KeyAccessThrottle, type CommandContext } from '@csp/application';
import { orderStreamId, type EncryptedKeyMaterial } from '@csp/domain';
import type { Answer } from '@csp/http';
import { fingerprintProductKey, generateProductKey, ProductKeyVault, TenantKeyring } from '@csp/security';
import { decideOrder, keyForSelection, type OrderCommand, type Selection } from '..';
import { orderResource, orderStream } from '../order-stream.state';
import { OrderHandler, position } from '../order-handler';
import type { RevealedKeyResponse } from './reveal-key.response';

/** Stands in for a new key when only asking whether the domain would refuse a reveal. */
const UNSEALED_PLACEHOLDER = {
  keyId: 'placeholder',
  fingerprint: 'placeholder',
  material: { alg: 'A256GCM', kid: 'none', iv: '', tag: '', ciphertext: '' } as EncryptedKeyMaterial,
};

interface RevealedKey extends Selection {
  readonly productKey: string;
  readonly keyType: 'MAK';
  readonly keyId: string;
  readonly fingerprint: string;
  readonly orderId: string;
  readonly sku: string | undefined;
  readonly revealedAt: string | undefined;
  readonly position: string | undefined;
}

export class RevealKeyCommand extends Command<Answer<RevealedKey, RevealedKeyResponse>> {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
    readonly selection: Selection,
    readonly keyType?: string,
  ) {
    super();
  }
}

@CommandHandler(RevealKeyCommand)
export class RevealKeyHandler extends OrderHandler implements ICommandHandler<RevealKeyCommand> {
  @Inject(ProductKeyVault) private readonly vault!: ProductKeyVault;
  @Inject(TenantKeyring) private readonly keyring!: TenantKeyring;
  @Inject(KeyAccessThrottle) private readonly throttle!: KeyAccessThrottle;

  async execute({ context, orderId, selection, keyType }: RevealKeyCommand): Promise<RevealedKey> {
    await this.throttle.check('reveal-key', context, orderId);
    const loaded = await this.repository.load(orderStreamId(orderId), orderStream);
    const current = loaded.state;
    assertAllowed('order.revealKey', context.actor, orderResource(current), 'order');
    const revealCommand = (now: string, newKey: { keyId: string; fingerprint: string; material: EncryptedKeyMaterial }): OrderCommand => ({
      type: 'RevealKey',
      data: { orderId, ...selection, ...(keyType !== undefined ? { keyType } : {}), newKey },
      metadata: { actor: context.actor, now },
    });
    // Whatever the domain refuses (KMS, a line or version the order does not have, a cancelled
    // line) is refused before any key material is touched: a refused reveal must not create the
    // tenant's data key nor spend a decryption. The decision proper comes after, on fresh state.
    decideOrder(revealCommand(this.clock.now().toISOString(), UNSEALED_PLACEHOLDER), current.domain, this.reference);
    const tenantId = current.purchase!.customerTenantId;
    const reveal = (material: EncryptedKeyMaterial, id: string) =>
      // Material from before envelope encryption was sealed with the key-encryption key itself.
      material.dek ? this.keyring.decrypt(material, { tenantId, orderId, keyId: id }) : Promise.resolve(this.vault.decrypt(material, { orderId, keyId: id }));
    // Decrypt or encrypt before deciding: a tenant whose key material was destroyed gets a 410 and no reveal is recorded.
    const existing = keyForSelection(current.domain, selection);
    const keyId = randomUUID();
    const candidate = existing ? await reveal(existing.material, existing.keyId) : generateProductKey();
    const newKey = {
      keyId,
      fingerprint: fingerprintProductKey(candidate),
      material: existing ? existing.material : await this.keyring.encrypt(candidate, { tenantId, orderId, keyId }),
    };
    const result = await this.decide(
      orderId,
      context,
      (state) => assertAllowed('order.revealKey', context.actor, orderResource(state), 'order'),
      (now) => revealCommand(now, newKey),
      // The order as just read: deciding on it saves a second read (a change since is a conflict, then a reload).
      loaded,
    );
    const key = keyForSelection(result.state.domain, selection);
    if (!key) throw new Error('The decider revealed no key for the selection');
    const revealed = result.events.find((e) => e.type === 'ProductKeyRevealed');
    // Another request may have assigned this selection's key first: answer with the one recorded.
    const productKey = key.keyId === (existing?.keyId ?? keyId) ? candidate : await reveal(key.material, key.keyId);
    return {
      productKey,
      keyType: 'MAK',
      keyId: key.keyId,
      fingerprint: key.fingerprint,
      orderId,
      ...selection,
      sku: result.state.purchase!.lines.find((l) => l.line === selection.line)?.sku,
      revealedAt: revealed && 'revealedAt' in revealed.data ? revealed.data.revealedAt : undefined,
      position: position(result.append),
    };
  }
}
