import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const ENCODING = 'binary/encrypted';
const ALGORITHM = 'aes-256-gcm';
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

export interface CodecKeys {
  /** Id of the key new payloads are encrypted with; written to each payload's metadata. */
  currentKeyId: string;
  /** Every key that may still decrypt stored histories, by id (32 bytes each). Rotation adds, never removes. */
  keys: Record<string, Buffer>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encrypts every payload with AES-256-GCM so that no participant name or free text reaches Temporal in
 * plaintext. The key id travels in the metadata, so keys can be rotated: new payloads use the current
 * key, old histories still decrypt with the key they name.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly settings: CodecKeys) {
    for (const [id, key] of Object.entries(settings.keys)) {
      if (key.length !== 32) throw new Error(`codec key ${id} must be 32 bytes (got ${key.length})`);
    }
    if (!settings.keys[settings.currentKeyId]) throw new Error(`codec key ${settings.currentKeyId} is not configured`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.settings.currentKeyId;
    const key = this.settings.keys[keyId] as Buffer;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_LENGTH);
      const cipher = createCipheriv(ALGORITHM, key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: encoder.encode(ENCODING), 'encryption-key-id': encoder.encode(keyId) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || decoder.decode(encoding) !== ENCODING) return payload;
      const idBytes = payload.metadata?.['encryption-key-id'];
      const keyId = idBytes ? decoder.decode(idBytes) : '';
      const key = this.settings.keys[keyId];
      if (!key) throw new Error(`payload is encrypted with key "${keyId}", which is not configured`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const iv = data.subarray(0, IV_LENGTH);
      const tag = data.subarray(data.length - TAG_LENGTH);
      const decipher = createDecipheriv(ALGORITHM, key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(data.subarray(IV_LENGTH, data.length - TAG_LENGTH)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/**
 * Reads keys from `NEUVO_CODEC_KEY` (base64, 32 bytes), `NEUVO_CODEC_KEY_ID` (default `k1`) and
 * `NEUVO_CODEC_OLD_KEYS` (`id:base64,id:base64` for rotation). Outside production a fixed development key
 * is used when none is set; it protects nothing and exists so tests and demos run without setup.
 */
export function codecKeysFromEnv(env: NodeJS.ProcessEnv = process.env): CodecKeys {
  const currentKeyId = env.NEUVO_CODEC_KEY_ID || 'k1';
  const keys: Record<string, Buffer> = {};
  for (const pair of (env.NEUVO_CODEC_OLD_KEYS ?? '').split(',').filter(Boolean)) {
    const [id, value] = pair.split(':');
    if (!id || !value) throw new Error('NEUVO_CODEC_OLD_KEYS must look like id:base64,id:base64');
    keys[id] = Buffer.from(value, 'base64');
  }
  if (env.NEUVO_CODEC_KEY) keys[currentKeyId] = Buffer.from(env.NEUVO_CODEC_KEY, 'base64');
  else if (env.NODE_ENV === 'production') throw new Error('NEUVO_CODEC_KEY is required in production');
  else keys[currentKeyId] = Buffer.from(DEV_CODEC_KEY, 'base64');
  return { currentKeyId, keys };
}

/** The documented development key (32 bytes of "neuvo-development-key-not-secret"). Never for real data. */
export const DEV_CODEC_KEY = Buffer.from('neuvo-development-key-not-secret').toString('base64');
