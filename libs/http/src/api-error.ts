import { HttpException } from '@nestjs/common';
import { errorBody } from './error-body';

/** An HTTP refusal raised by the edge itself (auth, routing, parsing), already in the error shape. */
export class ApiError extends HttpException {
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(errorBody(code, message, details), status);
  }
}

export const badRequest = (field: string, message: string) => new ApiError(400, 'validation_failed', message, { field });
