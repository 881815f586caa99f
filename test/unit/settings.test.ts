import { logLevelsFrom, settingsFromEnv } from '../../apps/api/src/settings';

describe('settings: one zod-checked module for every variable', () => {
  it('has development defaults for everything', () => {
    const s = settingsFromEnv({});
    expect(s).toMatchObject({
      port: 3000,
      temporal: { address: '127.0.0.1:7233', namespace: 'default' },
      logLevel: 'log',
      dataDir: '.data',
      temporalUiPort: 8233,
      production: false,
    });
    expect(s.auth.usingDevSecret).toBe(true);
  });

  it.each([
    ['PORT', 'seventy'],
    ['TEMPORAL_ADDRESS', 'no-port'],
    ['NEUVO_JWT_SECRET', 'short'],
    ['NEUVO_CODEC_KEY', 'not-32-bytes'],
    ['NEUVO_CODEC_OLD_KEYS', 'k0'],
    ['NEUVO_LOG_LEVEL', 'chatty'],
    ['NEUVO_TEMPORAL_UI_PORT', '99999'],
  ])('a bad %s stops start-up with a message naming it', (name, value) => {
    expect(() => settingsFromEnv({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });

  it('production needs a codec key and a JWT secret or OIDC', () => {
    expect(() => settingsFromEnv({ NODE_ENV: 'production' })).toThrow(
      /NEUVO_CODEC_KEY: required in production/,
    );
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(() => settingsFromEnv({ NODE_ENV: 'production', NEUVO_CODEC_KEY: key })).toThrow(
      /NEUVO_JWT_SECRET: required in production/,
    );
    const s = settingsFromEnv({
      NODE_ENV: 'production',
      NEUVO_CODEC_KEY: key,
      NEUVO_JWT_SECRET: 'x'.repeat(40),
    });
    expect(s.auth.usingDevSecret).toBe(false);
  });

  it('a log level includes every more severe one', () => {
    expect(logLevelsFrom('warn')).toEqual(['error', 'warn']);
    expect(logLevelsFrom('verbose')).toHaveLength(5);
  });
});
