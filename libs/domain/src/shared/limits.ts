/**
 * The product's input limits (SPEC §2), defined once: the deciders enforce the ones they own
 * (lines, quantities, attachments) and the API's DTOs declare them all in their validators, so an
 * HTTP client is refused with the same numbers the domain would refuse it with.
 */

/** An order has 1 to MAX_LINES lines; lines are numbered from 1, so a line number is at most this. */
export const MAX_LINES = 100;
/** A quantity is a whole number from 1 to MAX_QUANTITY. */
export const MAX_QUANTITY = 10_000;
/** Free text (names, reasons, notes, URLs) is at most this many characters. */
export const MAX_TEXT_LENGTH = 1_000;
/** A refund request names at most this many attachments, */
export const MAX_ATTACHMENTS = 20;
/** each name at most this long. */
export const MAX_ATTACHMENT_NAME_LENGTH = 255;
/** A domain name is at most 253 characters (RFC 1035, without the trailing dot). */
export const MAX_DOMAIN_LENGTH = 253;
/** SKU ids in a purchase. */
export const MAX_SKU_LENGTH = 100;
/** A key or link selection's version, language and file type. */
export const MAX_SELECTION_TEXT_LENGTH = 50;
/** The key type asked for (`MAK`; `KMS` is refused by the domain). */
export const MAX_KEY_TYPE_LENGTH = 20;
/** An idempotency key (body field or `Idempotency-Key` header) and a subscription id. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
export const MAX_SUBSCRIPTION_ID_LENGTH = 200;
/** An e-mail address (RFC 5321 path limit). */
export const MAX_EMAIL_LENGTH = 254;
/** A page of a list (the software list, order history, activity log, credits…) holds this many entries when the caller does not say, */
export const DEFAULT_PAGE_SIZE = 100;
/** and at most this many, so that no answer grows with the history. */
export const MAX_PAGE_SIZE = 1_000;
