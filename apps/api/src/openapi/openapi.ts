import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { inlineRootIds, nullableFor30 } from './root-id-shim';

/** The OpenAPI document, generated from the controllers and the same zod schemas that check requests. */
export function openApiDocumentOf(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Neuvo API')
    .setDescription(
      'Case workflows for family group conferences (läheisneuvonpito) and network meetings. Errors are ' +
        '{ error, message, details }; times are UTC ISO-8601 with milliseconds; lists are { items, nextCursor }.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'Claims: sub, roles, unit, exp',
    })
    .build();
  return nullableFor30(cleanupOpenApiDoc(inlineRootIds(SwaggerModule.createDocument(app, config))));
}

/** Swagger UI at /docs and the JSON at /docs-json; served outside the guard, so they need no token. */
export function serveDocs(app: INestApplication): void {
  const document = openApiDocumentOf(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
