// The control API under `/__fake/` on the grok listener (never recorded, never checked):
// recorded requests, scenario overrides, stats, config, reset, and small helpers
// (mint a statsig id, look up a token's user id).
import { sendJson, tryJson, uidFor } from './util.mjs';
import { setOverride, clearOverrides, SCENARIO_NAMES } from './scenarios.mjs';
import { patchConfig } from './state.mjs';
import { mintStatsigId } from './statsig.mjs';

function overridesView(o) {
  const view = (ov) => ov && { name: ov.name, options: ov.options, times: ov.times === Infinity ? null : ov.times, path: ov.path };
  return { global: view(o.global), tokens: Object.fromEntries([...o.tokens].map(([t, ov]) => [t, view(ov)])) };
}

export function handleControl(env, req, res, url, body) {
  const { state, rec } = env;
  const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
  const j = body.length ? tryJson(body) : { ok: true, value: {} };
  if (!j.ok) return sendJson(res, 400, { error: 'body is not JSON' });
  const b = j.value ?? {};
  try {
    switch (route) {
      case 'GET /__fake/requests':
        return sendJson(res, 200, rec.list(url.searchParams.get('path')));
      case 'DELETE /__fake/requests':
        rec.clear();
        return sendJson(res, 200, { ok: true });
      case 'GET /__fake/scenario':
        return sendJson(res, 200, overridesView(state.overrides));
      case 'POST /__fake/scenario':
        setOverride(state.overrides, b);
        return sendJson(res, 200, { ok: true, overrides: overridesView(state.overrides) });
      case 'DELETE /__fake/scenario':
        clearOverrides(state.overrides, url.searchParams.get('token') ?? b.token);
        return sendJson(res, 200, { ok: true });
      case 'GET /__fake/scenarios':
        return sendJson(res, 200, SCENARIO_NAMES);
      case 'GET /__fake/stats':
        return sendJson(res, 200, rec.stats());
      case 'GET /__fake/config':
        return sendJson(res, 200, state.config);
      case 'POST /__fake/config':
        return sendJson(res, 200, patchConfig(state, b));
      case 'POST /__fake/reset':
        env.resetAll();
        return sendJson(res, 200, { ok: true });
      case 'GET /__fake/statsig': {
        const value = mintStatsigId({
          method: url.searchParams.get('method') ?? 'POST',
          path: url.searchParams.get('path') ?? '/rest/app-chat/conversations/new',
          seedB64: state.config.statsigSeedB64,
          key: state.config.statsigKey,
        });
        return sendJson(res, 200, { value });
      }
      case 'POST /__fake/assets': {
        // Registers a generated asset owned by `token` (or a public imagine image) so tests of
        // the media proxy can fetch a known path: {token?, path, kind, public?}.
        if (typeof b.path !== 'string' || !b.path.startsWith('/')) return sendJson(res, 400, { error: 'path must start with /' });
        if (b.public) env.registerPublic(b.path, b.kind ?? 'image');
        else env.registerAsset(b.path.replace(/^\/+/, ''), b.kind ?? 'image', uidFor(b.token ?? ''));
        return sendJson(res, 200, { ok: true });
      }
      case 'GET /__fake/asset': {
        // The bytes the assets or public host serves for ?path= (a path or a whole URL), so that
        // tests can compare what the gateway served with what the upstream holds.
        const bytes = env.assetBytes(url.searchParams.get('path') ?? '');
        if (!bytes) return sendJson(res, 404, { error: `no asset at ${url.searchParams.get('path')}` });
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
        return res.end(bytes);
      }
      case 'GET /__fake/uid':
        return sendJson(res, 200, { uid: uidFor(url.searchParams.get('token') ?? '') });
      default:
        return sendJson(res, 404, { error: `no control route ${route}` });
    }
  } catch (err) {
    return sendJson(res, err.status ?? 500, { error: err.message });
  }
}
