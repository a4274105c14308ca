/** Injection tokens for the ports the application layer needs; the apps bind the adapters. */
export const EVENT_STORE = Symbol('EventStore');
export const CLOCK = Symbol('Clock');
export const REFERENCE_DATA = Symbol('ReferenceData');
export const READ_SIDE = Symbol('ReadSide');
export const RATE_LIMITER = Symbol('RateLimiter');
export const KEY_ACCESS_LIMITS = Symbol('KeyAccessLimits');
/** The service's configuration, for the routes whose answers depend on it (the public base URL of download links). */
export const APP_CONFIG = Symbol('AppConfig');
