import type { OpenAPIObject } from '@nestjs/swagger';

const PREFIX = 'x-nestjs_zod';
type Json = Record<string, unknown>;

/**
 * Works around nestjs-zod 5.5 with zod ≥ 4.5 (nestjs-zod issue #475): a DTO whose own schema carries
 * `.meta({ id })` is emitted as a `$ref` into its own `$defs`, and `cleanupOpenApiDoc` then throws
 * "Found multiple schemas with name …". This inlines that definition back into the DTO's root, which is
 * what zod 4.4 emitted and what nestjs-zod expects. Schemas without a root id are left alone.
 */
export function inlineRootIds(doc: OpenAPIObject): OpenAPIObject {
  for (const schema of Object.values(doc.components?.schemas ?? {}) as Json[]) {
    const root = (schema.properties as Json | undefined)?.root as Json | undefined;
    const id = root?.[`${PREFIX}-parent-id`];
    const defs = root?.[`${PREFIX}-$defs`] as Json | undefined;
    if (!root || typeof id !== 'string' || root.$ref !== `#/$defs/${id}` || !defs?.[id]) continue;
    const { [id]: definition, ...otherDefs } = defs;
    const {
      $ref: _ref,
      type: _type,
      [`${PREFIX}-empty-type`]: _empty,
      [`${PREFIX}-$defs`]: _defs,
      ...markers
    } = root;
    // Marked as 3.1 syntax, so that cleanupOpenApiDoc converts it for an OpenAPI 3.0 document as it would the def.
    const inlined: Json = { ...markers, ...(definition as Json), [`${PREFIX}-uses-3-point-1-syntax`]: true };
    if (Object.keys(otherDefs).length > 0) inlined[`${PREFIX}-$defs`] = otherDefs;
    else delete inlined[`${PREFIX}-parent-has-refs`];
    (schema.properties as Json).root = inlined;
  }
  return doc;
}

/**
 * OpenAPI 3.0 has no type arrays: `{ type: ['string', 'null'] }` becomes `{ type: 'string', nullable: true }`.
 * cleanupOpenApiDoc converts most schemas but not those nested in array items.
 */
export function nullableFor30<T>(node: T): T {
  if (Array.isArray(node)) return node.map(nullableFor30) as T;
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) out[key] = nullableFor30(value);
  const type = out.type;
  if (Array.isArray(type) && type.includes('null')) {
    const rest = type.filter((t) => t !== 'null');
    if (rest.length === 1) {
      out.type = rest[0];
      out.nullable = true;
    }
  }
  return out as T;
}
