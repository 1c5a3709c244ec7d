// Summary statistics for timing samples: median, p99 (nearest rank), min, max, mean, n.
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return { n: 0, median: NaN, p99: NaN, min: NaN, max: NaN, mean: NaN };
  const q = (p) => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { n, median, p99: q(0.99), min: s[0], max: s[n - 1], mean: s.reduce((a, b) => a + b, 0) / n };
}
