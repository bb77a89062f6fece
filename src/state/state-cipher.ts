/**
 * Encryption at rest of the state a shared server holds (MSGRAPH_USER_STATE_KEY): AES-256-GCM,
 * a fresh random IV for every write, and the value's place (its key name and version) bound in as
 * associated data, so a value copied to another instance or rolled back to an older version fails
 * its check just as an altered one does.
 *
 * A stored value names the key it was sealed with by a short fingerprint (not the key), so a
 * wrong key is told apart from a damaged value.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { UsageError, UserError } from '../base/errors.js';

export const STATE_KEY_VARIABLE = 'MSGRAPH_USER_STATE_KEY';

const PREFIX = 'aes256gcm:v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface StateCipher {
  /** A short, public name of the key (a hash of it), stored beside every sealed value. */
  readonly fingerprint: string;
  seal(plaintext: string, place: string): string;
  /** The plaintext; throws StateKeyMismatchError when the key or the value does not match. */
  open(sealed: string, place: string): string;
}

/** The state was written with another key, or altered since. Nothing is written after it. */
export class StateKeyMismatchError extends UserError {}

/** Whether a stored value is sealed (as opposed to the plain JSON written without a key). */
export const isSealed = (stored: string): boolean => stored.startsWith(`${PREFIX}:`);

/**
 * The key: 32 bytes, as 64 hexadecimal digits or as base64 (standard or URL-safe, padding
 * optional). Anything else is refused without showing what was given.
 */
export function parseStateKey(text: string, origin = STATE_KEY_VARIABLE): Buffer {
  const trimmed = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (decoded.length === 32) key = decoded;
  }
  if (!key) {
    throw new UsageError(
      `${origin} is not a valid key: it must be 32 random bytes written as 64 hexadecimal digits or as base64 (44 characters). Make one with: openssl rand -base64 32`,
    );
  }
  return key;
}

export function stateCipher(key: Buffer): StateCipher {
  const fingerprint = createHash('sha256')
    .update('msgraph-user state key\n')
    .update(key)
    .digest('hex')
    .slice(0, 12);
  return {
    fingerprint,
    seal(plaintext, place) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(place, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64'));
      return [PREFIX, fingerprint, ...parts].join(':');
    },
    open(sealed, place) {
      const [, , kid, iv, tag, body] = sealed.split(':');
      if (kid !== fingerprint) {
        throw new StateKeyMismatchError(
          `${STATE_KEY_VARIABLE} does not match the key the state was encrypted with.`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv ?? '', 'base64'), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(Buffer.from(place, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag ?? '', 'base64'));
        return Buffer.concat([
          decipher.update(Buffer.from(body ?? '', 'base64')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new StateKeyMismatchError(
          `The stored state does not match ${STATE_KEY_VARIABLE}: it fails its integrity check (altered, or moved from another instance or version).`,
        );
      }
    },
  };
}
