/** The one error shape of the API (SPEC §2). */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export const errorBody = (code: string, message: string, details?: Record<string, unknown>): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});
