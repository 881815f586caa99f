import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '../../../../libs/contracts/src';

/** The caller, from a verified bearer token (contract.md: claims `sub`, `roles`, `unit`). */
export interface Principal {
  sub: string;
  roles: Role[];
  unit: string;
}

/** Injects the authenticated principal the auth guard put on the request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
