import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ApiError } from '../errors/api-error';
import { API_SETTINGS } from '../settings.module';
import type { ApiSettings } from '../settings';
import { principalOf } from './claims';
import type { Principal } from './principal';

const INVALID = 'The bearer token is invalid or expired; get a new one.';

/** Verifies bearer tokens: HS256 with the shared secret, RS256/ES256 against the OIDC provider's JWKS. */
@Injectable()
export class TokenVerifier {
  private readonly secret?: Uint8Array;
  private readonly jwks?: JWTVerifyGetKey;
  private readonly issuer?: string;

  constructor(@Inject(API_SETTINGS) settings: ApiSettings) {
    const { hs256Secret, oidc } = settings.auth;
    if (hs256Secret) this.secret = new TextEncoder().encode(hs256Secret);
    if (oidc) {
      this.jwks = createRemoteJWKSet(new URL(oidc.jwksUrl), { timeoutDuration: 5_000 });
      this.issuer = oidc.issuer;
    }
  }

  async verify(token: string): Promise<Principal> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new ApiError('unauthenticated', INVALID);
    }
    try {
      const options = { requiredClaims: ['exp', 'sub'] };
      const { payload } =
        alg === 'HS256' && this.secret
          ? await jwtVerify(token, this.secret, { ...options, algorithms: ['HS256'] })
          : (alg === 'RS256' || alg === 'ES256') && this.jwks
            ? await jwtVerify(token, this.jwks, {
                ...options,
                algorithms: ['RS256', 'ES256'],
                issuer: this.issuer,
              })
            : fail();
      const principal = principalOf(payload);
      if (!principal)
        throw new ApiError(
          'unauthenticated',
          'The token lacks sub, unit or a known role; ask for a Neuvo token.',
        );
      return principal;
    } catch (error) {
      if (error instanceof ApiError) throw error;
      // The provider's keys could not be fetched: an outage, not the caller's fault.
      if (
        error instanceof errors.JWKSTimeout ||
        (error instanceof TypeError && /fetch/i.test(error.message))
      ) {
        throw new ApiError('unavailable', 'The identity provider cannot be reached; try again shortly.');
      }
      throw new ApiError('unauthenticated', INVALID);
    }
  }
}

function fail(): never {
  throw new ApiError('unauthenticated', INVALID);
}
