import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { mermaidOf, variantJsonSchema } from '../../../../libs/process/src';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ApiErrors } from '../openapi/error-responses';
import { ApiParamsOf, ApiQueryOf } from '../openapi/parameters';
import { valid } from '../validation';
import { VariantsService } from './variants.service';
import {
  VariantConfigDto,
  VariantListDto,
  variantKeyParamsSchema,
  variantListQuerySchema,
  variantVersionParamsSchema,
} from './variants.schemas';

type VersionParams = z.output<typeof variantVersionParamsSchema>;

@ApiTags('variants')
@ApiBearerAuth()
@Controller('variants')
export class VariantsController {
  constructor(@Inject(VariantsService) private readonly variants: VariantsService) {}

  @Get()
  @ApiOperation({ summary: 'Variants with their latest version (all roles)' })
  @ApiResponse({ status: 200, type: VariantListDto })
  @ApiQueryOf(variantListQuerySchema)
  @ApiErrors('invalid_payload')
  list(@Query(valid(variantListQuerySchema)) query: z.output<typeof variantListQuerySchema>) {
    return this.variants.list(query.limit, query.cursor);
  }

  @Get('schema')
  @ApiOperation({ summary: 'The JSON Schema of a variant config (generated from the same zod schema)' })
  @ApiResponse({ status: 200, description: 'JSON Schema (draft 2020-12)' })
  @ApiErrors()
  schema() {
    return variantJsonSchema();
  }

  @Get(':key/versions/:v')
  @ApiOperation({ summary: 'One variant version: exactly a config that can be POSTed back' })
  @ApiResponse({ status: 200, type: VariantConfigDto })
  @ApiParamsOf(variantVersionParamsSchema)
  @ApiErrors('invalid_payload', 'not_found')
  version(@Param(valid(variantVersionParamsSchema)) params: VersionParams) {
    return this.variants.stored(params.key, params.v);
  }

  @Get(':key/versions/:v/diagram')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'The statechart of a variant version as Mermaid text' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Mermaid stateDiagram-v2 text', schema: { type: 'string' } })
  @ApiParamsOf(variantVersionParamsSchema)
  @ApiErrors('invalid_payload', 'not_found')
  async diagram(@Param(valid(variantVersionParamsSchema)) params: VersionParams): Promise<string> {
    await this.variants.stored(params.key, params.v); // 404 when it does not exist
    const config = await this.variants.config(params.key, params.v);
    return mermaidOf(config!);
  }

  @Post(':key/versions')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Publish a new version (coordinators). The key must match the path or be absent; the version is assigned.',
  })
  @ApiBody({ type: VariantConfigDto })
  @ApiResponse({ status: 201, description: 'The stored config with its new version', type: VariantConfigDto })
  @ApiParamsOf(variantKeyParamsSchema)
  @ApiErrors('invalid_payload', 'forbidden')
  publish(
    @Param(valid(variantKeyParamsSchema)) params: z.output<typeof variantKeyParamsSchema>,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.variants.publish(params.key, body, principal);
  }
}
