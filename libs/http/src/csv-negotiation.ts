import { applyDecorators, Injectable, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiExtension } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { toCsv } from './csv';
import { CSV_ANSWER } from './openapi';

/** Which rows of a route's answer its CSV holds: a page's items, or a single answer as one row. */
type RowsOf = (answer: unknown) => readonly object[];

@Injectable()
class CsvNegotiationInterceptor implements NestInterceptor {
  constructor(private readonly rows: RowsOf) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    if (!/\btext\/csv\b/.test(http.getRequest<Request>().headers.accept ?? '')) return next.handle();
    return next.handle().pipe(
      map((answer: unknown) => {
        http.getResponse<Response>().setHeader('Content-Type', 'text/csv; charset=utf-8');
        return toCsv(this.rows(answer) as Record<string, unknown>[]);
      }),
    );
  }
}

/**
 * JSON by default; the answer's rows as CSV (the product's one CSV writer) when the client asks for
 * `text/csv`. The route's document lists both, since this is the one place that knows.
 */
export const CsvWhenAsked = (rows: RowsOf) => applyDecorators(UseInterceptors(new CsvNegotiationInterceptor(rows)), ApiExtension(CSV_ANSWER, true));
