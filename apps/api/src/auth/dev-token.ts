import { SignJWT } from 'jose';
import type { Role } from '../../../../libs/contracts/src';

/**
 * The documented development secret: used for HS256 tokens only when `NEUVO_JWT_SECRET` is unset and
 * `NODE_ENV` is not `production` (the server refuses to start that way in production). It protects nothing.
 */
export const DEV_JWT_SECRET = 'neuvo-development-secret-not-for-production';

export interface DevTokenClaims {
  sub: string;
  roles: Role[];
  unit: string;
}

/**
 * An HS256 token with the contract's claims, for tests and `neuvo token`. `ttl` is seconds, or a jose
 * time span such as `'8h'`; default 8 hours.
 */
export function signDevToken(
  claims: DevTokenClaims,
  secret: string = DEV_JWT_SECRET,
  ttl: number | string = 8 * 3600,
): Promise<string> {
  return new SignJWT({ roles: claims.roles, unit: claims.unit })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(typeof ttl === 'number' ? Math.floor(Date.now() / 1000) + ttl : ttl)
    .sign(new TextEncoder().encode(secret));
}
