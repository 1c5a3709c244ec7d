// The fake's mutable world: configuration (resettable to the start options), scenario
// overrides, per-account quotas, uploads, generated assets, media posts, conversations
// and the deterministic id counters. Nothing here does I/O.
import {
  DEFAULT_STATSIG_SEED_B64, DEFAULT_STATSIG_KEY, DEFAULT_FRAME_DELAY_MS, DEFAULT_ASSET_SIZES,
  STATSIG_MAX_SKEW_SEC, DEFAULT_TIER,
} from './defaults.mjs';
import { createOverrides } from './scenarios.mjs';
import { uuidFrom } from './util.mjs';

function initialConfig(options) {
  return {
    statsigSeedB64: options.statsigSeedB64 ?? DEFAULT_STATSIG_SEED_B64,
    statsigKey: options.statsigKey ?? DEFAULT_STATSIG_KEY,
    manualStatsig: options.manualStatsig ?? null,
    homeCurves: options.homeCurves ?? true, // false: the home page lacks the curves table
    statsigMaxSkewSec: options.statsigMaxSkewSec ?? STATSIG_MAX_SKEW_SEC,
    userAgent: options.userAgent ?? null,
    cfClearance: options.cfClearance ?? null,
    frameDelayMs: options.frameDelayMs ?? DEFAULT_FRAME_DELAY_MS,
    assetSizes: { ...DEFAULT_ASSET_SIZES, ...(options.assetSizes ?? {}) },
    imagineDefaultCount: options.imagineDefaultCount ?? 2,
    defaultTier: options.defaultTier ?? DEFAULT_TIER,
    tiers: { ...(options.tiers ?? {}) }, // token → 'basic' | 'super' | 'heavy'
    // token → a plan name the rate-limits answer carries as `subscriptionTier` (e.g.
    // 'SuperGrokPlus'), or a /rest/subscriptions-style list [{tier, status}] sent as `subscriptions`.
    plans: { ...(options.plans ?? {}) },
    quotas: {}, // token|'*' → mode → {remainingQueries?, totalQueries?, windowSizeSeconds?, ...}
    enforceQuota: options.enforceQuota ?? false,
    enforce: { statsig: true, cookie: true, requestId: true, userAgent: true, cfClearance: true, ...(options.enforce ?? {}) },
  };
}

export function createState(options = {}) {
  const state = {
    options,
    config: initialConfig(options),
    overrides: createOverrides(),
    counters: new Map(),
    used: new Map(), // token → mode → queries consumed
    uploads: new Map(), // asset path → {bytes, mimeType, uid, fileId, fileMetadataId, fileName}
    fileIds: new Map(), // fileMetadataId|fileId → upload record
    assets: new Map(), // asset path (users/...) → {kind, uid, size, moderated?}
    publicImages: new Map(), // public path → {size, kind}
    posts: new Map(), // post id → post
    conversations: new Map(), // id → {uid, token, responses: [], title}
    tos: new Map(), // token → version
    seen: { requestIds: new Set(), statsig: new Set() },
  };
  state.reset = () => {
    state.config = initialConfig(options);
    state.overrides = createOverrides();
    for (const m of [state.counters, state.used, state.uploads, state.fileIds, state.assets, state.publicImages, state.posts, state.conversations, state.tos]) m.clear();
    state.seen.requestIds.clear();
    state.seen.statsig.clear();
  };
  // Deterministic UUIDs per kind: the n-th conversation of a fresh server is always the same.
  state.nextId = (kind) => {
    const n = (state.counters.get(kind) ?? 0) + 1;
    state.counters.set(kind, n);
    return uuidFrom(`fake-grok:${kind}:${n}`);
  };
  return state;
}

// Applies a POST /__fake/config patch.
export function patchConfig(state, patch) {
  const c = state.config;
  const simple = ['statsigSeedB64', 'statsigKey', 'manualStatsig', 'homeCurves', 'statsigMaxSkewSec', 'userAgent', 'cfClearance', 'frameDelayMs', 'imagineDefaultCount', 'defaultTier', 'enforceQuota'];
  for (const k of simple) if (k in patch) c[k] = patch[k];
  if (patch.statsigSeedB64 !== undefined && Buffer.from(patch.statsigSeedB64, 'base64').length !== 48) {
    throw Object.assign(new Error('statsigSeedB64 must decode to 48 bytes'), { status: 400 });
  }
  if (patch.assetSizes) Object.assign(c.assetSizes, patch.assetSizes);
  if (patch.enforce) Object.assign(c.enforce, patch.enforce);
  if (patch.tiers) Object.assign(c.tiers, patch.tiers);
  if (patch.plans) Object.assign(c.plans, patch.plans);
  if (patch.quotas) {
    for (const [who, modes] of Object.entries(patch.quotas)) {
      c.quotas[who] = { ...(c.quotas[who] ?? {}) };
      for (const [mode, q] of Object.entries(modes)) c.quotas[who][mode] = { ...(c.quotas[who][mode] ?? {}), ...q };
      // New numbers start a fresh window.
      if (who !== '*') state.used.delete(who);
      else state.used.clear();
    }
  }
  return c;
}
