import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ApiError } from './api-error';

interface FieldProblem {
  field: string;
  message: string;
}

/** Flattens class-validator's tree into `lines[0].quantity`-style field paths. */
function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
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

/** What class-validator found, on its way from the exception factory to the refusal that names where it was. */
class InvalidInput extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super('invalid input');
  }
}

/** Names that would reach an object's prototype: Nest strips them before validating, so they are refused first. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Strict input, one pipe for bodies and query strings alike: unknown fields and query parameters
 * are refused (not silently dropped), no implicit type conversion (the string "1" is not a
 * quantity), and the 400 names the first offending field or parameter.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      stopAtFirstError: false,
      exceptionFactory: (errors) => new InvalidInput(fieldProblems(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const where = metadata.type === 'query' ? 'query parameter' : 'field';
    if (metadata.type === 'query' && metadata.metatype && this.toValidate(metadata) && typeof value === 'object' && value !== null) {
      const hostile = Object.keys(value).find((key) => PROTOTYPE_KEYS.has(key));
      if (hostile !== undefined) throw refusal([{ field: hostile, message: `${hostile} should not exist` }], where);
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof InvalidInput) throw refusal(error.problems, where);
      throw error;
    }
  }
}

function refusal(problems: FieldProblem[], where: 'field' | 'query parameter'): ApiError {
  const first =
    problems[0] ??
    (where === 'field' ? { field: 'body', message: 'The request body is not valid' } : { field: 'query', message: 'The query string is not valid' });
  const message = first.message.includes('should not exist') ? `Unknown ${where} "${first.field}"` : first.message;
  return new ApiError(400, 'validation_failed', message, { field: first.field, problems });
}

export function strictValidationPipe(): StrictValidationPipe {
  return new StrictValidationPipe();
}
