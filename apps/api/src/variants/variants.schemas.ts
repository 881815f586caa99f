import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { templates, variantConfigSchema } from '../../../../libs/process/src';
import { namedDto } from '../openapi/named-dto';
import { pageQueryShape, pageSchemaOf } from '../paging';

export const variantSummarySchema = z
  .object({
    key: z.string(),
    template: z.enum(templates),
    labels: z.object({ fi: z.string(), sv: z.string(), en: z.string() }),
    latestVersion: z.number().int(),
  })
  .meta({ id: 'VariantSummary' });
export type VariantSummary = z.infer<typeof variantSummarySchema>;

export class VariantListDto extends createZodDto(pageSchemaOf(variantSummarySchema)) {}
export const variantListQuerySchema = z.strictObject(pageQueryShape);

/** A variant config as stored and served; the server assigns `version` on publish and ignores the one sent. */
export class VariantConfigDto extends namedDto(variantConfigSchema) {}

export const variantKeyParam = z.string().min(1).max(100).describe('Variant key, e.g. fgc');
export const variantKeyParamsSchema = z.object({ key: variantKeyParam });
export const variantVersionParamsSchema = z.object({
  key: variantKeyParam,
  v: z.coerce.number().int().min(1).describe('Version, from 1'),
});
