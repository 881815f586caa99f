/**
 * Every setting of the API, read from the environment in one place and checked with zod at start-up:
 * a bad value stops the server with a message naming the variable.
 */
import { z } from 'zod';
import { resolveDatabase } from '../../../libs/persistence/src';
import { DEV_JWT_SECRET } from './auth/dev-token';

/** An unset variable and an empty one mean the same: use the default. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const envSchema = z.object({
  PORT: optional(
    z.coerce.number().int('must be an integer').min(1).max(65535, 'must be a port number (1–65535)'),
  ),
  DATABASE_URL: optional(
    z.string().refine(
      (url) => {
        try {
          resolveDatabase({ url });
          return true;
        } catch {
          return false;
        }
      },
      { message: 'must be postgres://… or a SQLite path (sqlite:<path>, file:<path>, :memory:)' },
    ),
  ),
  TEMPORAL_ADDRESS: optional(
    z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233'),
  ),
  TEMPORAL_NAMESPACE: optional(
    z.string().regex(/^[A-Za-z0-9._-]{1,255}$/, 'must be a Temporal namespace name'),
  ),
  NEUVO_JWT_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  NEUVO_OIDC_ISSUER: optional(
    z.url({ message: 'must be the issuer URL, e.g. https://login.example.fi/realms/neuvo' }),
  ),
  NEUVO_OIDC_JWKS_URL: optional(
    z.url({ protocol: /^https?$/, message: 'must be an http(s) URL of the JWKS' }),
  ),
  NODE_ENV: optional(z.enum(['development', 'test', 'production'])),
  NEUVO_CODEC_KEY: optional(
    z.string().refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
      message: 'must be base64 of exactly 32 bytes (openssl rand -base64 32)',
    }),
  ),
  NEUVO_CODEC_KEY_ID: optional(
    z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a short key id such as k1'),
  ),
  NEUVO_CODEC_OLD_KEYS: optional(
    z
      .string()
      .regex(
        /^[A-Za-z0-9._-]+:[A-Za-z0-9+/]+={0,2}(,[A-Za-z0-9._-]+:[A-Za-z0-9+/]+={0,2})*$/,
        'must look like id:base64,id:base64',
      ),
  ),
  NEUVO_LOG_LEVEL: optional(z.enum(['error', 'warn', 'log', 'debug', 'verbose'])),
  NEUVO_DATA_DIR: optional(z.string().min(1)),
  NEUVO_TEMPORAL_UI_PORT: optional(
    z.coerce.number().int('must be an integer').min(1).max(65535, 'must be a port number (1–65535)'),
  ),
});

/** Nest log levels from NEUVO_LOG_LEVEL: the level named and every more severe one. */
const levels = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof levels)[number];
export function logLevelsFrom(level: LogLevelName): LogLevelName[] {
  return levels.slice(0, levels.indexOf(level) + 1);
}

export interface ApiSettings {
  port: number;
  /** Unset: SQLite at `.data/neuvo.sqlite`. */
  databaseUrl?: string;
  temporal: { address: string; namespace: string };
  auth: {
    /** HS256 secret: NEUVO_JWT_SECRET, or the development secret outside production. */
    hs256Secret?: string;
    usingDevSecret: boolean;
    oidc?: { issuer: string; jwksUrl: string };
  };
  production: boolean;
  /** NEUVO_LOG_LEVEL (default log): API and worker log this level and everything more severe. */
  logLevel: LogLevelName;
  /** `neuvo up`: where the dev server keeps temporal.db, and its Web UI port. */
  dataDir: string;
  temporalUiPort: number;
  /** How long a command waits for the case workflow's answer before 503 (not from the environment). */
  commandTimeoutMs: number;
}

export class SettingsError extends Error {}

/** Reads and checks the settings; throws a SettingsError naming every bad variable. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new SettingsError(`invalid settings: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (Boolean(e.NEUVO_OIDC_ISSUER) !== Boolean(e.NEUVO_OIDC_JWKS_URL)) {
    const missing = e.NEUVO_OIDC_ISSUER ? 'NEUVO_OIDC_JWKS_URL' : 'NEUVO_OIDC_ISSUER';
    throw new SettingsError(`invalid settings: ${missing}: is required when the other OIDC setting is given`);
  }
  const oidc =
    e.NEUVO_OIDC_ISSUER && e.NEUVO_OIDC_JWKS_URL
      ? { issuer: e.NEUVO_OIDC_ISSUER, jwksUrl: e.NEUVO_OIDC_JWKS_URL }
      : undefined;
  if (production && !e.NEUVO_CODEC_KEY) {
    throw new SettingsError(
      'invalid settings: NEUVO_CODEC_KEY: required in production (payloads in Temporal are encrypted with it)',
    );
  }
  if (production && !e.NEUVO_JWT_SECRET && !oidc) {
    throw new SettingsError(
      'invalid settings: NEUVO_JWT_SECRET: required in production unless NEUVO_OIDC_ISSUER and NEUVO_OIDC_JWKS_URL are set',
    );
  }
  const hs256Secret = e.NEUVO_JWT_SECRET ?? (production ? undefined : DEV_JWT_SECRET);
  return {
    port: e.PORT ?? 3000,
    databaseUrl: e.DATABASE_URL,
    temporal: {
      address: e.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      namespace: e.TEMPORAL_NAMESPACE ?? 'default',
    },
    auth: { hs256Secret, usingDevSecret: !e.NEUVO_JWT_SECRET && !production, ...(oidc ? { oidc } : {}) },
    production,
    logLevel: e.NEUVO_LOG_LEVEL ?? 'log',
    dataDir: e.NEUVO_DATA_DIR ?? '.data',
    temporalUiPort: e.NEUVO_TEMPORAL_UI_PORT ?? 8233,
    commandTimeoutMs: 30_000,
  };
}
