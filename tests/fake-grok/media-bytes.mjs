// Deterministic media bodies: real JPEG / PNG / MP4 magic and framing around PRNG
// padding seeded by the asset path, of an exact size. Same path + size → same bytes,
// so a test can compute what the fake served (`mediaBytes(path, size)`).
import { prngBytes } from './util.mjs';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function kindOfPath(path) {
  if (/\.jpe?g$/i.test(path)) return 'jpeg';
  if (/\.png$/i.test(path)) return 'png';
  if (/\.mp4$/i.test(path)) return 'mp4';
  return 'bin';
}

export const contentTypeOf = (kind) => ({ jpeg: 'image/jpeg', png: 'image/png', mp4: 'video/mp4' })[kind] ?? 'application/octet-stream';

function frame(kind, path, size) {
  const tag = Buffer.from(`fake-grok ${path}`);
  if (kind === 'jpeg') {
    const soi = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
    const com = Buffer.concat([Buffer.from([0xff, 0xfe, (tag.length + 2) >> 8, (tag.length + 2) & 0xff]), tag]);
    return { head: Buffer.concat([soi, com]), tail: Buffer.from([0xff, 0xd9]) };
  }
  if (kind === 'png') {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(64, 0);
    ihdr.writeUInt32BE(64, 4);
    ihdr.set([8, 2, 0, 0, 0], 8);
    const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    return { head: Buffer.concat([sig, pngChunk('IHDR', ihdr), pngChunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), tag]))]), tail: pngChunk('IEND', Buffer.alloc(0)) };
  }
  if (kind === 'mp4') {
    const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2avc1mp41')]);
    const mdat = Buffer.alloc(8);
    mdat.writeUInt32BE(Math.max(8, size - ftyp.length), 0);
    mdat.write('mdat', 4, 'latin1');
    return { head: Buffer.concat([ftyp, mdat]), tail: Buffer.alloc(0) };
  }
  return { head: Buffer.alloc(0), tail: Buffer.alloc(0) };
}

const cache = new Map();

export function mediaBytes(path, size, kind = kindOfPath(path)) {
  const key = `${kind}|${size}|${path}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { head, tail } = frame(kind, path, size);
  const padLen = Math.max(0, size - head.length - tail.length);
  const out = Buffer.concat([head, prngBytes(`media:${path}`, padLen), tail]);
  if (cache.size > 256) cache.clear();
  cache.set(key, out);
  return out;
}
