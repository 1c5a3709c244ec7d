// Default constants of the fake Grok upstream, shared with the gateway's tests so both
// sides can be configured with the same statsig (seed, key) pair.
//
// DEFAULT_STATSIG_SEED_B64 is 48 deterministic bytes (SHA-256 counter stream over
// "fake-grok-statsig-seed-1"); DEFAULT_STATSIG_KEY is the animation key `l` derived
// from that seed with DEFAULT_CURVES_LABEL's table and DEFAULT_STATSIG_INDICES in the
// browser flavour, as the real web app computes it (see animation-key.mjs). A test asserts
// the three stay consistent.

export const DEFAULT_STATSIG_SEED_B64 = 'QBDA1lToImAMyVsfR7yIZxjs89fCnrwsyew5u9p/JvkmIBZ9ei03tNI85VtfQW7y';
export const DEFAULT_STATSIG_KEY = '069d602b851eb851eb860fd70a3d70a3d70fd70a3d70a3d702b851eb851eb8600';
export const DEFAULT_CURVES_LABEL = 'fake-grok-curves-1';
export const DEFAULT_STATSIG_INDICES = Object.freeze({ group: 5, segment: 24, ct: Object.freeze([17, 8, 11]) });

// t = floor(now_s - STATSIG_EPOCH), 2023-05-01T07:00:00Z.
export const STATSIG_EPOCH = 1682924400;
export const STATSIG_SALT = 'obfiowerehiring';
export const STATSIG_MAX_SKEW_SEC = 300;

// What a desktop Chrome on macOS sends; only enforced when options.userAgent is set.
export const DEFAULT_USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36';

export const DEFAULT_FRAME_DELAY_MS = 2;

// Sizes (bytes) of the deterministic media the fake serves.
export const DEFAULT_ASSET_SIZES = Object.freeze({
  image: 48 * 1024, // users/<uid>/generated/<id>/image.jpg
  imagePart: 6 * 1024, // users/<uid>/generated/<id>-part-0/image.jpg (preview)
  video: 300 * 1024, // users/<uid>/generated/<id>/generated_video.mp4
  thumbnail: 12 * 1024, // users/<uid>/generated/<id>/preview_image.jpg
  imaginePublic: 32 * 1024, // <publicUrl>/imagine-public/images/<id>.jpg (also the final blob)
  imaginePreview: 2 * 1024, // blob of the 40% imagine frame
});

// Rate-limit tables per tier (totalQueries per mode, window seconds).
export const TIER_QUOTAS = Object.freeze({
  basic: { auto: [20, 7200], fast: [30, 86400], expert: [10, 7200], heavy: [0, 7200], 'grok-420-computer-use-sa': [0, 7200] },
  super: { auto: [50, 7200], fast: [140, 7200], expert: [50, 7200], heavy: [0, 7200], 'grok-420-computer-use-sa': [10, 7200] },
  heavy: { auto: [150, 7200], fast: [400, 7200], expert: [150, 7200], heavy: [20, 7200], 'grok-420-computer-use-sa': [50, 7200] },
});
export const DEFAULT_TIER = 'super';

// Modes accepted as modeId (REST) and session.model (mgw).
export const MODES = Object.freeze(['auto', 'fast', 'expert', 'heavy', 'grok-420-computer-use-sa']);
