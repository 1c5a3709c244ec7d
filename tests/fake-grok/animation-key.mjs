// The statsig "animation key" (`l`, a.k.a. HEX) of reference §2.4 steps 2–4: the
// per-build curves table, the five seed indices, and the derivation of the key from
// (seed, curves, indices). The fake uses it to produce a self-consistent default
// (seed, key) pair and to publish curves on `GET /`; verification compares keys only.
import { prng } from './util.mjs';

// Deterministic 4×16 curves table: {color:[6 ints], deg:int, bezier:[4 ints]}.
export function makeCurves(label = 'fake-grok-curves-1') {
  const rnd = prng(label);
  const byte = () => Math.floor(rnd() * 256);
  const groups = [];
  for (let g = 0; g < 4; g++) {
    const row = [];
    for (let s = 0; s < 16; s++) {
      row.push({
        color: [byte(), byte(), byte(), byte(), byte(), byte()],
        deg: byte(),
        bezier: [byte(), byte(), byte(), byte()],
      });
    }
    groups.push(row);
  }
  return groups;
}

// WebKit-style UnitBezier: cubic-bezier(x1, y1, x2, y2) evaluated at x.
export function cubicBezier(x1, y1, x2, y2, x, epsilon = 1e-7) {
  const cx = 3 * x1;
  const bx = 3 * (x2 - x1) - cx;
  const ax = 1 - cx - bx;
  const cy = 3 * y1;
  const by = 3 * (y2 - y1) - cy;
  const ay = 1 - cy - by;
  const sampleX = (t) => ((ax * t + bx) * t + cx) * t;
  const sampleY = (t) => ((ay * t + by) * t + cy) * t;
  const slopeX = (t) => (3 * ax * t + 2 * bx) * t + cx;
  let t = x;
  for (let i = 0; i < 8; i++) {
    const err = sampleX(t) - x;
    if (Math.abs(err) < epsilon) return sampleY(t);
    const d = slopeX(t);
    if (Math.abs(d) < 1e-6) break;
    t -= err / d;
  }
  let lo = 0;
  let hi = 1;
  t = x;
  if (t < lo) return sampleY(lo);
  if (t > hi) return sampleY(hi);
  while (lo < hi) {
    const v = sampleX(t);
    if (Math.abs(v - x) < epsilon) break;
    if (x > v) lo = t;
    else hi = t;
    t = (hi - lo) / 2 + lo;
    if (hi - lo < 1e-12) break;
  }
  return sampleY(t);
}

// Derives `l` from the 48-byte seed, the curves table and {group, segment, ct:[3]}.
// flavor 'browser' (the default) is what the real web app computes: it plays a CSS animation
// and reads getComputedStyle, so the easing control points are rounded with toFixed(2), the
// colours are whole numbers, and every value goes through Number(v.toFixed(2)). 'reference'
// follows the written reference literally (Math.round(v*100)/100, unrounded control points).
export function deriveAnimationKey(seed, curves, indices, flavor = 'browser') {
  const browser = flavor === 'browser';
  const s = Buffer.from(seed);
  const curve = curves[s[indices.group] % 4][s[indices.segment] % 16];
  let time = indices.ct.reduce((acc, i) => acc * (s[i] % 16), 1);
  time = Math.round(time / 10) * 10;
  const progress = time / 4096;
  const [b0, b1, b2, b3] = curve.bezier;
  let p = [b0 / 255, (b1 * 2) / 255 - 1, b2 / 255, (b3 * 2) / 255 - 1];
  if (browser) p = p.map((v) => Number(v.toFixed(2)));
  const eased = cubicBezier(p[0], p[1], p[2], p[3], progress);
  const c = curve.color;
  const rgb = [0, 1, 2].map((i) => {
    const v = c[i] + (c[i + 3] - c[i]) * eased;
    return browser ? Math.min(255, Math.max(0, Math.round(v))) : v;
  });
  const angle = Math.floor((curve.deg * 300) / 255 + 60) * eased;
  const rad = (angle * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const list = [...rgb, cos, sin, -sin, cos, 0, 0];
  const r2 = (v) => (browser ? Number(v.toFixed(2)) : Math.round(v * 100) / 100);
  return list
    .map((v) => r2(v).toString(16))
    .join('')
    .replace(/[.-]/g, '');
}
