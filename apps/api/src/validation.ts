import { createZodValidationPipe } from 'nestjs-zod';
import type { z } from 'zod';
import { problemsOf } from '../../../libs/contracts/src';
import { invalidPayload } from './errors/error-body';

/** nestjs-zod's pipe, refusing with the contract's 400 (`invalid_payload`, every problem as `{ path, message }`). */
const ZodPipe = createZodValidationPipe({
  createValidationException: (error) => invalidPayload(problemsOf(error as z.ZodError)),
});

/**
 * A pipe for one parameter: `@Query(valid(ListCasesQueryDto))`. Given explicitly rather than found
 * through reflected parameter types, so that it also works where decorator metadata is not emitted (tsx).
 */
export const valid = (schemaOrDto: ConstructorParameters<typeof ZodPipe>[0]) => new ZodPipe(schemaOrDto);
