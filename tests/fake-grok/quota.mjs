// Quotas: `POST /rest/rate-limits` (both body shapes, reference §2.5/§2.9, seed §4.1),
// `POST /rest/media/imagine/quota_info`, the per-account tier, and the counter that
// conversations consume.
import { TIER_QUOTAS, MODES } from './defaults.mjs';
import { tokenPrefixScenario } from './scenarios.mjs';

// Tier of an account: config.tiers[token] → token prefix tok-basic/super/heavy → default.
export function tierOf(state, token) {
  const t = state.config.tiers[token];
  if (t) return t;
  const pre = tokenPrefixScenario(token);
  if (pre && TIER_QUOTAS[pre]) return pre;
  return state.config.defaultTier;
}

// Legacy model names (grok-3, grok-4-heavy, …) → the mode bucket they draw from.
export function modeOfModelName(name) {
  if (!name) return 'auto';
  if (MODES.includes(name)) return name;
  const n = String(name).toLowerCase();
  if (n.includes('heavy')) return 'heavy';
  if (n.includes('expert') || n.includes('thinking') || n.includes('reasoning')) return 'expert';
  if (n.includes('fast') || n.includes('mini') || n === 'grok-3') return 'fast';
  return 'auto';
}

const MODEL_MODE_TO_MODE = {
  MODEL_MODE_FAST: 'fast', MODEL_MODE_EXPERT: 'expert', MODEL_MODE_HEAVY: 'heavy', MODEL_MODE_AUTO: 'auto',
};
export const modeOfPayload = (p) => p.modeId ?? MODEL_MODE_TO_MODE[p.modelMode] ?? modeOfModelName(p.modelName);

export function bucket(state, token, mode) {
  const [total, window] = TIER_QUOTAS[tierOf(state, token)][mode] ?? [0, 7200];
  const conf = { ...(state.config.quotas['*']?.[mode] ?? {}), ...(state.config.quotas[token]?.[mode] ?? {}) };
  const totalQueries = conf.totalQueries ?? total;
  const used = state.used.get(token)?.get(mode) ?? 0;
  const base = conf.remainingQueries ?? totalQueries;
  return {
    windowSizeSeconds: conf.windowSizeSeconds ?? window,
    remainingQueries: Math.max(0, base - used),
    totalQueries,
    extra: conf,
  };
}

// One query consumed; returns false when the bucket was already empty.
export function consume(state, token, mode) {
  const b = bucket(state, token, mode);
  if (!state.used.has(token)) state.used.set(token, new Map());
  const m = state.used.get(token);
  m.set(mode, (m.get(mode) ?? 0) + 1);
  return b.remainingQueries > 0;
}

export function rateLimitsBody(state, token, body) {
  const legacy = body.requestKind !== undefined;
  const mode = modeOfModelName(body.modelName);
  const b = bucket(state, token, mode);
  const out = {
    windowSizeSeconds: b.windowSizeSeconds,
    remainingQueries: b.remainingQueries,
    totalQueries: b.totalQueries,
  };
  if (legacy) {
    out.remainingTokens = b.extra.remainingTokens ?? b.remainingQueries * 2;
    out.totalTokens = b.extra.totalTokens ?? b.totalQueries * 2;
  }
  out.lowEffortRateLimits = b.extra.lowEffortRateLimits ?? { cost: 1, remainingQueries: b.remainingQueries };
  out.highEffortRateLimits = b.extra.highEffortRateLimits ?? { cost: 4, remainingQueries: Math.floor(b.remainingQueries / 4) };
  // The account's plan, when the test gave it one (a paid plan may come with zero numbers).
  const plan = state.config.plans[token];
  if (Array.isArray(plan)) out.subscriptions = plan;
  else if (plan) out.subscriptionTier = plan;
  return out;
}

export function quotaInfoBody(state, token) {
  const tier = tierOf(state, token);
  const slot = (n, window = 86400) => (n === null ? null : { available: n > 0, remainingQueries: n, windowSizeSeconds: window, nextAvailableAt: n > 0 ? null : new Date(Date.now() + window * 1000).toISOString() });
  const table = {
    basic: { image: 20, imagePro: null, imageEdit: 10, video: 5, video720p: null },
    super: { image: 100, imagePro: 50, imageEdit: 50, video: 30, video720p: 10 },
    heavy: { image: 400, imagePro: 200, imageEdit: 200, video: 100, video720p: 50 },
  }[tier];
  const conf = state.config.quotas[token]?.imagine ?? state.config.quotas['*']?.imagine ?? {};
  const out = {};
  for (const [k, n] of Object.entries(table)) out[k] = k in conf ? (conf[k] === null ? null : slot(conf[k])) : slot(n);
  return out;
}
