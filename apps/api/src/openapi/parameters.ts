import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

type Shape = Record<string, z.ZodType>;

/** The OpenAPI schema of one field, from the zod schema that checks it. */
function fieldSchema(field: z.ZodType) {
  const { description, ...schema } = z.toJSONSchema(field, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return { schema, description: typeof description === 'string' ? description : field.description };
}

/** Documents every query parameter of a zod object schema (the same schema the pipe checks with). */
export const ApiQueryOf = (object: z.ZodObject<Shape>) =>
  applyDecorators(
    ...Object.entries(object.shape).map(([name, field]) => {
      const { schema, description } = fieldSchema(field);
      return ApiQuery({
        name,
        required: !field.safeParse(undefined).success,
        schema: schema as never,
        description,
      });
    }),
  );

/** Documents the path parameters of a zod object schema. */
export const ApiParamsOf = (object: z.ZodObject<Shape>) =>
  applyDecorators(
    ...Object.entries(object.shape).map(([name, field]) => {
      const { schema, description } = fieldSchema(field);
      return ApiParam({ name, required: true, schema: schema as never, description });
    }),
  );
