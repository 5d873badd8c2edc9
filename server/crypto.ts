import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

// AES-256-GCM for API keys at rest. The row id is bound in as additional
// data, so a ciphertext copied onto another connection's row will not open.
// The configured secret is never used directly: HKDF derives one key for
// sealing and another for fingerprinting requests, so neither use can weaken
// the other.

const VERSION = 'v2';
// Sealed by 0.1, with the configured secret itself as the AES key; still opened.
const LEGACY_VERSION = 'v1';

export interface DerivedKeys {
  /** AES-256-GCM key for credentials at rest. */
  sealing: Buffer;
  /** HMAC-SHA-256 key for idempotency fingerprints. */
  fingerprint: Buffer;
  /** The configured secret, for values sealed by 0.1. */
  legacy: Buffer;
}

export function deriveKeys(secret: Buffer): DerivedKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
  return { sealing: derive('conduit-link/credentials'), fingerprint: derive('conduit-link/idempotency'), legacy: secret };
}

export function parseSecretKey(value: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('CONDUIT_SECRET_KEY must be 32 bytes, as 64 hex digits or base64.');
  if (isLowEntropy(key)) {
    throw new Error('CONDUIT_SECRET_KEY looks made up (too few distinct bytes): generate one with `openssl rand -hex 32`.');
  }
  return key;
}

// 32 random bytes have about 30 distinct values; fewer than 8 is a typed pattern, not a key.
const MIN_DISTINCT = 8;

/** All zeros, one repeated character, a short pattern: not a secret. */
export function isLowEntropy(bytes: Uint8Array | string): boolean {
  const units: unknown[] = typeof bytes === 'string' ? [...bytes] : [...bytes];
  return new Set(units).size < MIN_DISTINCT;
}

export function seal(keys: DerivedKeys, plaintext: string, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.sealing, iv);
  cipher.setAAD(Buffer.from(boundTo));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64'))).join(':');
}

export function open(keys: DerivedKeys, sealed: string, boundTo: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(':');
  const key = version === VERSION ? keys.sealing : version === LEGACY_VERSION ? keys.legacy : null;
  if (!key || !iv || !tag || ciphertext === undefined) throw new Error('Unreadable sealed value.');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(boundTo));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

/** 256 random bits, URL-safe: a session token or a generated partner secret. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as this hash, so a copy of the database grants nothing. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
