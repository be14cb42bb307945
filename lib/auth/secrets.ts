// Credentials: random bearer tokens (hashed with SHA-256: they carry 256 bits, so a fast hash is
// enough) and analyst passwords (hashed with scrypt, memory-hard, so a stolen table is costly).
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'host' | 'api' | 'session';
const tokenPrefixByKind: Record<TokenKind, string> = { host: 'ssh_', api: 'ssa_', session: 'sss_' };

export function generateToken(kind: TokenKind): string {
  return tokenPrefixByKind[kind] + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The first characters of a token, safe to show in lists so an admin can tell tokens apart. */
export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, 10);
}

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N, r, p, maxmem: 128 * N * r * 2 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLength);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p), expected.length);
  return timingSafeEqual(actual, expected);
}

/** Compares two secrets in time that does not depend on where they differ. */
export function secretsMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && b.length > 0 && timingSafeEqual(a, b);
}

export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
