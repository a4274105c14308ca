import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString } from 'class-validator';

/**
 * An optional list of at most `maxItems` strings in a request body; what each string must be goes
 * beside it (`@Length(…, { each: true })`, `@Matches(…, { each: true })`). Listed in the order a
 * stack of these decorators is applied, so that refusals name problems in the same order as before.
 */
export const OptionalTextList = (maxItems: number) =>
  applyDecorators(IsString({ each: true }), ArrayMaxSize(maxItems), IsArray(), IsOptional(), ApiPropertyOptional({ type: [String] }));
