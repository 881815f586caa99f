import { createZodDto } from 'nestjs-zod';

/**
 * `createZodDto` for a schema that is not a plain object (a union): TypeScript refuses to extend its
 * class directly, so it is typed as a plain class here. Extend it to give the OpenAPI schema a name.
 */
export const namedDto = (schema: Parameters<typeof createZodDto>[0]) =>
  createZodDto(schema) as unknown as new () => object;
