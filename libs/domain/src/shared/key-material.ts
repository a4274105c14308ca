/** AES-256-GCM ciphertext of a product key; the plain key never enters the event store. */
export interface EncryptedKeyMaterial {
  /** Always `A256GCM`. */
  alg: 'A256GCM';
  /** Id of the key-encryption key (from configuration) that wraps the data key, so KEKs can rotate. */
  kid: string;
  /** Id of the customer tenant's data key that encrypted this key (envelope encryption). */
  dek?: string;
  /** Initialisation vector, base64. */
  iv: string;
  /** GCM authentication tag, base64. */
  tag: string;
  /** The encrypted product key, base64. */
  ciphertext: string;
}
