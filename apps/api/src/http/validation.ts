import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiError } from './api-error';

export interface FieldProblem {
  field: string;
  message: string;
}

/** Flattens class-validator's tree into `lines[0].quantity`-style field paths. */
export function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      problems.push({ field, message: message.replace(error.property, field) });
    }
    problems.push(...fieldProblems(error.children ?? [], field));
  }
  return problems;
}

/**
 * Strict input: unknown fields are refused (not silently dropped), no implicit type conversion
 * (the string "1" is not a quantity), and the 400 names the first offending field.
 */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const problems = fieldProblems(errors);
      const first = problems[0] ?? { field: 'body', message: 'The request body is not valid' };
      const message = first.message.includes('should not exist') ? `Unknown field "${first.field}"` : first.message;
      return new ApiError(400, 'validation_failed', message, { field: first.field, problems });
    },
  });
}
