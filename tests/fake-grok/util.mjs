// Small shared helpers for the fake Grok upstream: hashing, deterministic ids and
// bytes (seeded PRNG), cookie parsing, body reading and JSON/HTML replies.
import { createHash } from 'node:crypto';

export const sha256 = (data) => createHash('sha256').update(data).digest();
export const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');

// Formats 16 bytes as a version-4 UUID string (version and variant bits forced).
export function uuidFromBytes(bytes) {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

// A UUID derived from a label: same label, same UUID, on every run.
export const uuidFrom = (label) => uuidFromBytes(sha256(String(label)));

// The Grok user id of an sso token (what /api/auth/session reports).
export const uidFor = (token) => uuidFrom(`fake-grok-user:${token}`);

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Deterministic byte stream: SHA-256 in counter mode over a seed label.
export function prngBytes(seedLabel, length) {
  const out = Buffer.allocUnsafe(length);
  let off = 0;
  for (let block = 0; off < length; block++) {
    const chunk = sha256(`${seedLabel}#${block}`);
    off += chunk.copy(out, off, 0, Math.min(32, length - off));
  }
  return out;
}

// Small deterministic integer generator (mulberry32) for tables and choices.
export function prng(seedLabel) {
  let a = sha256(String(seedLabel)).readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Cookie header → ordered list of [name, value] and a name→value map (first wins).
export function parseCookies(header) {
  const list = [];
  const map = {};
  for (const part of String(header || '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!name) continue;
    list.push([name, value]);
    if (!(name in map)) map[name] = value;
  }
  return { list, map };
}

// Reads a request body fully; rejects with {status:413} past the limit.
export function readBody(req, limit = 64 * 1024 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// Headers a Cloudflare-fronted origin adds; handy for realism, harmless otherwise.
let rayCounter = 0;
export const cfHeaders = () => ({
  server: 'cloudflare',
  'cf-ray': `${(0x7f000000 + ++rayCounter).toString(16)}a1b2c3d4-SJC`,
});

export function sendJson(res, status, obj, extra = {}) {
  const body = Buffer.from(JSON.stringify(obj));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': body.length,
    ...cfHeaders(),
    ...extra,
  });
  res.end(body);
}

export function sendText(res, status, text, type = 'text/plain; charset=utf-8', extra = {}) {
  const body = Buffer.from(text);
  res.writeHead(status, { 'content-type': type, 'content-length': body.length, ...cfHeaders(), ...extra });
  res.end(body);
}

// Tries JSON.parse on a buffer; returns {ok, value}.
export function tryJson(buf) {
  try {
    return { ok: true, value: JSON.parse(Buffer.isBuffer(buf) ? buf.toString('utf8') : buf) };
  } catch {
    return { ok: false, value: undefined };
  }
}

export const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// Strict standard base64 (padding optional only where allowPad), no whitespace.
export function strictBase64(str, { allowPad = true } = {}) {
  if (typeof str !== 'string' || str.length === 0) return null;
  const re = allowPad ? /^[A-Za-z0-9+/]+={0,2}$/ : /^[A-Za-z0-9+/]+$/;
  if (!re.test(str)) return null;
  if (allowPad && str.includes('=') && str.length % 4 !== 0) return null;
  if (str.length % 4 === 1) return null;
  const buf = Buffer.from(str, 'base64');
  // Round-trip check rejects non-canonical trailing bits.
  const again = buf.toString('base64').replace(/=+$/, '');
  if (again !== str.replace(/=+$/, '')) return null;
  return buf;
}
