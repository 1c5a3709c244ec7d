// Header checks on every grok.com request (reference §2.2–2.4, checklist §2.11.3).
// Each check yields a short verdict that is recorded; `inspect` also names the first
// failure to enforce, answered the way the real service would.
import { parseCookies, UUID_RE } from './util.mjs';
import { verifyStatsig } from './statsig.mjs';

export function cookieCheck(headers) {
  const { list, map } = parseCookies(headers.cookie);
  const sso = map.sso;
  const rw = map['sso-rw'];
  let verdict;
  if (!sso && !rw) verdict = 'missing';
  else if (!sso || !rw) verdict = 'partial';
  else if (sso !== rw) verdict = 'mismatch';
  else verdict = 'ok';
  const duplicated = list.filter(([n]) => n === 'sso' || n === 'sso-rw').length > 2;
  return {
    verdict: duplicated ? 'duplicated' : verdict,
    token: sso || rw || null,
    cookies: map,
    others: {
      cf_clearance: map.cf_clearance ?? null,
      __cf_bm: map.__cf_bm ?? null,
      'x-userid': map['x-userid'] ?? null,
    },
  };
}

// kind: 'rest' (statsig + request id required), 'upload-v2' (statsig only),
// 'ws' (neither), 'session' (neither; cookie required), 'page' (nothing required).
export function inspect(req, url, kind, cfg, seen) {
  const headers = req.headers;
  const cookie = cookieCheck(headers);
  const checks = { cookie: cookie.verdict };

  const statsigValue = headers['x-statsig-id'];
  const needStatsig = kind === 'rest' || kind === 'upload-v2';
  if (needStatsig || statsigValue) {
    const v = verifyStatsig(statsigValue, {
      method: req.method,
      path: url.pathname,
      seedB64: cfg.statsigSeedB64,
      key: cfg.statsigKey,
      manual: cfg.manualStatsig,
      maxSkewSec: cfg.statsigMaxSkewSec,
    });
    checks.statsig = v.result;
    checks.statsigReason = v.reason;
    if (statsigValue) {
      // Recorded only: the real service tolerates reuse within a signer's cache window.
      checks.statsigReused = seen.statsig.has(statsigValue);
      seen.statsig.add(statsigValue);
    }
  } else checks.statsig = 'not_required';

  const rid = headers['x-xai-request-id'];
  if (rid === undefined) checks.requestId = kind === 'rest' ? 'missing' : 'not_required';
  else if (!UUID_RE.test(rid)) checks.requestId = 'bad';
  else {
    checks.requestId = seen.requestIds.has(rid) ? 'reused' : 'ok';
    seen.requestIds.add(rid);
  }

  const ua = headers['user-agent'] ?? null;
  checks.userAgent = cfg.userAgent ? (ua === cfg.userAgent ? 'ok' : 'mismatch') : 'unchecked';
  if (cfg.cfClearance) checks.cfClearance = cookie.others.cf_clearance === cfg.cfClearance ? 'ok' : 'mismatch';

  const enforce = cfg.enforce;
  let failure = null;
  if (kind !== 'page') {
    if (enforce.userAgent && checks.userAgent === 'mismatch') failure = 'cf_challenge';
    else if (enforce.cfClearance && checks.cfClearance === 'mismatch') failure = 'cf_challenge';
    else if (enforce.cookie && checks.cookie !== 'ok' && kind !== 'session') failure = 'unauthenticated';
    else if (enforce.statsig && needStatsig && (checks.statsig === 'missing' || checks.statsig === 'bad')) failure = 'antibot';
    else if (enforce.statsig && needStatsig && checks.statsig === 'outdated') failure = 'outdated';
    else if (enforce.requestId && (checks.requestId === 'missing' || checks.requestId === 'bad')) failure = 'bad_request';
  }
  return { checks, token: cookie.verdict === 'ok' ? cookie.token : null, rawToken: cookie.token, cookies: cookie.cookies, failure };
}
