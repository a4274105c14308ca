import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI document of every route, built from the controllers themselves. */
/** @public The OpenAPI test builds the document from dist/ by this name. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('CSP software orders')
    .setDescription(
      'Purchases of on-premises software on behalf of customers, product keys, download links, cancellations and credits; ' +
        'read models for software lists, the key-access activity log, credits and analytics; the event stream for back office. ' +
        'Errors are `{ "error": { "code", "message", "details"? } }`. Every command answers with the `position` it was committed at; ' +
        'queries accept `?atLeast=<position>` (read-your-writes).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Claims: sub, tid (tenant GUID), roles[]' })
    .addSecurityRequirements('bearer')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the interactive documentation at /docs and the document itself at /docs/openapi.json. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
}
