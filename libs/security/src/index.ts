export * from './token-verifier';
export * from './policy';
export * from './product-key-vault';
export * from './download-link-token';
export * from './rate-limiter';
export * from './keyring';
export * from './allowed-destinations';
