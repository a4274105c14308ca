/** What a store command was asked cannot be done as asked (a store that is not embedded, a DATA_DIR that is not empty…); nothing was changed. */
export class StoreCommandRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreCommandRefused';
  }
}

/** The file is not a backup at all (not tar, or not this product's): the operator named the wrong file. */
export class NotABackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotABackupError';
  }
}

/** The file was a backup, but it is damaged or was edited: it must not be restored. */
export class BackupDamagedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupDamagedError';
  }
}
