// Verification (and, for demos and tests, minting) of `x-statsig-id` as in reference
// §2.4: unpadded base64 of 70 bytes [r, seed(48), t(u32 LE), sha256(...)[0..16], 0x03],
// every byte after the first XOR r. Verification results:
//   ok        – valid (or exact match of the configured manual value)
//   missing   – header absent or empty
//   bad       – garbled: not unpadded base64, not 70 bytes, wrong trailer, stale timestamp
//   outdated  – structurally valid but seed or key differ from the configured pair
import { randomInt } from 'node:crypto';
import { sha256 } from './util.mjs';
import { STATSIG_EPOCH, STATSIG_SALT, STATSIG_MAX_SKEW_SEC } from './defaults.mjs';

const digestFor = (method, path, t, key) =>
  sha256(`${String(method).toUpperCase()}!${path}!${t}${STATSIG_SALT}${key}`).subarray(0, 16);

export function verifyStatsig(value, { method, path, seedB64, key, manual, nowSec, maxSkewSec = STATSIG_MAX_SKEW_SEC }) {
  if (value === undefined || value === null || value === '') return { result: 'missing', reason: 'header absent' };
  if (manual && value === manual) return { result: 'ok', reason: 'manual value' };
  if (!/^[A-Za-z0-9+/]+$/.test(value)) return { result: 'bad', reason: 'not unpadded standard base64' };
  const raw = Buffer.from(value, 'base64');
  if (raw.length !== 70) return { result: 'bad', reason: `decodes to ${raw.length} bytes, want 70` };
  const r = raw[0];
  const plain = Buffer.from(raw);
  for (let i = 1; i < plain.length; i++) plain[i] ^= r;
  if (plain[69] !== 0x03) return { result: 'bad', reason: `trailer byte 0x${plain[69].toString(16)}, want 0x03` };
  const t = plain.readUInt32LE(49);
  const now = Math.floor((nowSec ?? Date.now() / 1000) - STATSIG_EPOCH);
  if (Math.abs(now - t) > maxSkewSec) return { result: 'bad', reason: `timestamp ${t} is ${now - t}s away from ${now}`, t };
  const seed = Buffer.from(seedB64, 'base64');
  if (!plain.subarray(1, 49).equals(seed)) return { result: 'outdated', reason: 'seed differs from the current build', t };
  if (!plain.subarray(53, 69).equals(digestFor(method, path, t, key))) {
    return { result: 'outdated', reason: 'digest does not match METHOD!path!t + salt + key', t };
  }
  return { result: 'ok', reason: 'valid', t };
}

// Mints a valid id for (method, path); `randomByte`/`nowSec` fixed for reproducible output.
export function mintStatsigId({ method, path, seedB64, key, nowSec, randomByte }) {
  const seed = Buffer.from(seedB64, 'base64');
  if (seed.length !== 48) throw new Error(`statsig seed must be 48 bytes, got ${seed.length}`);
  const t = Math.floor((nowSec ?? Date.now() / 1000) - STATSIG_EPOCH) >>> 0;
  const plain = Buffer.alloc(70);
  const r = randomByte ?? randomInt(256);
  plain[0] = r;
  seed.copy(plain, 1);
  plain.writeUInt32LE(t, 49);
  digestFor(method, path, t, key).copy(plain, 53);
  plain[69] = 0x03;
  for (let i = 1; i < 70; i++) plain[i] ^= r;
  return plain.toString('base64').replace(/=+$/, '');
}
