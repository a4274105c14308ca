/**
 * The one error shape of the API (SPEC §2), built without Nest: the server's own refusals and the
 * early listener answer with it before the application is loaded. `ErrorBody` (error-body.ts)
 * documents the same shape for OpenAPI.
 */
export interface ErrorShape {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export const errorBody = (code: string, message: string, details?: Record<string, unknown>): ErrorShape => ({
  error: details === undefined ? { code, message } : { code, message, details },
});
