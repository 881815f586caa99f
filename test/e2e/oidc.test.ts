/**
 * Production authentication: RS256 and ES256 tokens checked against the identity provider's JWKS
 * (jose's createRemoteJWKSet) with the issuer; no HS256 secret, so development tokens are refused.
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { signDevToken, DEV_JWT_SECRET } from '../../apps/api/src/auth/dev-token';
import { createApiApp } from '../../apps/api/src/create-app';
import { settingsFromEnv } from '../../apps/api/src/settings';
import { freePort } from '../../libs/temporal/src/binaries';
import { httpClient, type Request } from '../support/api-stack';
import { tempDatabase } from '../support/temporal-stack';

jest.setTimeout(60_000);

const ISSUER = 'https://login.example.fi/realms/neuvo';
const claims = { roles: ['caseworker'], unit: 'north' };

describe('OIDC bearer tokens (production settings)', () => {
  const database = tempDatabase();
  let jwks: Server;
  let app: Awaited<ReturnType<typeof createApiApp>>;
  let request: Request;
  let rsa: KeyLike;
  let ec: KeyLike;

  const sign = (key: KeyLike, alg: string, kid: string, issuer = ISSUER, exp: string | number = '5m') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg, kid })
      .setSubject('cw1')
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(key);
  const get = async (token: string) => (await request('GET', '/variants', { as: token })).status;

  beforeAll(async () => {
    const rsaPair = await generateKeyPair('RS256');
    const ecPair = await generateKeyPair('ES256');
    rsa = rsaPair.privateKey;
    ec = ecPair.privateKey;
    const keys = [
      { ...(await exportJWK(rsaPair.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ecPair.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    const jwksPort = await freePort();
    jwks = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })),
    );
    await new Promise<void>((resolve) => jwks.listen(jwksPort, '127.0.0.1', resolve));

    const settings = settingsFromEnv({
      NODE_ENV: 'production',
      NEUVO_CODEC_KEY: Buffer.alloc(32, 3).toString('base64'),
      NEUVO_OIDC_ISSUER: ISSUER,
      NEUVO_OIDC_JWKS_URL: `http://127.0.0.1:${jwksPort}/jwks`,
      DATABASE_URL: database.sqlitePath,
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    });
    expect(settings.auth.hs256Secret).toBeUndefined();
    app = await createApiApp({ settings, logger: ['error'] });
    const port = await freePort();
    await app.listen(port, '127.0.0.1');
    request = httpClient(`http://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => jwks?.close(resolve));
    database.remove();
  });

  it('accepts RS256 and ES256 tokens from the issuer', async () => {
    expect(await get(await sign(rsa, 'RS256', 'rsa-1'))).toBe(200);
    expect(await get(await sign(ec, 'ES256', 'ec-1'))).toBe(200);
  });

  it('refuses another issuer, an unknown key, an expired token and development tokens', async () => {
    expect(await get(await sign(rsa, 'RS256', 'rsa-1', 'https://evil.example.com'))).toBe(401);
    expect(await get(await sign((await generateKeyPair('RS256')).privateKey, 'RS256', 'rsa-1'))).toBe(401);
    expect(await get(await sign(rsa, 'RS256', 'rsa-1', ISSUER, Math.floor(Date.now() / 1000) - 60))).toBe(
      401,
    );
    expect(
      await get(await signDevToken({ sub: 'cw1', roles: ['caseworker'], unit: 'north' }, DEV_JWT_SECRET)),
    ).toBe(401);
  });
});
