// What a journal keeps of the key it began with: a truncated SHA-256 (hex), never the key. Keys are
// long random strings, so 16 hex digits tell two keys apart and give nothing of the key away.
import { createHash } from 'node:crypto';

export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
