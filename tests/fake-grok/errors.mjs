// The failure answers the real service gives (reference §2.7 "Error shapes"): JSON
// policy errors, the Cloudflare HTML challenge, 401/429/5xx. One description per case,
// rendered either as an HTTP response or as a refused WebSocket handshake.
import { STATUS_CODES } from 'node:http';
import { cfHeaders } from './util.mjs';

const grpcError = (code, message) => JSON.stringify({ error: { code, message, details: [] } });

export const CHALLENGE_HTML = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">
</head><body><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">grok.com</h1><h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>
<noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript>
</div></div><script>(function(){window._cf_chl_opt={cvId:'3',cZone:"grok.com",cType:'managed',cRay:'fake',cH:'fake'};
var cpo=document.createElement('script');cpo.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=fake';
window._cf_chl_opt.cOgUQuery=location.search===''?'':'?__cf_chl_tk=fake';document.getElementsByTagName('head')[0].appendChild(cpo);}());</script>
<div class="cf-chl-widget" id="cf-chl-widget-fake"></div></body></html>
`;

const BAD_GATEWAY_HTML = `<html><head><title>502 Bad Gateway</title></head><body>
<center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>
`;

// Returns {status, headers, body} for an HTTP-level failure.
export function failure(kind, options = {}) {
  const json = (status, body, extra = {}) => ({ status, headers: { 'content-type': 'application/json', ...extra }, body });
  switch (kind) {
    case '401':
    case 'unauthenticated':
      return json(401, grpcError(16, options.message ?? 'Unauthenticated: invalid-credentials'));
    case 'blocked':
      return json(403, grpcError(7, 'blocked-user: user is blocked'));
    case '429':
      return json(429, grpcError(8, 'Too many requests'), { 'retry-after': String(options.retryAfter ?? 60) });
    case 'antibot':
      return json(403, grpcError(7, 'Request rejected by anti-bot rules.'));
    case 'outdated':
      return json(403, grpcError(7, 'This page is out of date. Reload to continue.'));
    case 'cf_challenge':
      return {
        status: 403,
        headers: { 'content-type': 'text/html; charset=UTF-8', 'cf-mitigated': 'challenge', 'cache-control': 'no-store' },
        body: CHALLENGE_HTML,
      };
    case '5xx': {
      const status = options.status ?? 502;
      return { status, headers: { 'content-type': 'text/html' }, body: BAD_GATEWAY_HTML.replaceAll('502 Bad Gateway', `${status} ${STATUS_CODES[status]}`) };
    }
    case 'ws_refuse':
    case 'imagine_refuse':
      if (options.html) return failure('cf_challenge');
      return json(options.status ?? 403, grpcError(7, options.message ?? 'Request rejected by anti-bot rules.'));
    case 'uid_mismatch':
      return json(403, grpcError(7, 'x-userid does not match the session'));
    case '400':
    case 'bad_request':
      return json(400, grpcError(3, options.message ?? 'Invalid request'));
    case 'not_found':
      return json(404, grpcError(5, options.message ?? 'Not found'));
    case 'too_large':
      return json(413, grpcError(3, 'Request entity too large'));
    default:
      return json(500, grpcError(13, `fake-grok: no failure named ${kind}`));
  }
}

export function sendFailure(res, kind, options) {
  const f = failure(kind, options);
  const body = Buffer.from(f.body);
  res.writeHead(f.status, { ...f.headers, 'content-length': body.length, ...cfHeaders() });
  res.end(body);
  return f.status;
}

// Writes a refused handshake straight onto the upgrade socket and closes it.
export function refuseUpgrade(socket, kind, options) {
  const f = failure(kind, options);
  const body = Buffer.from(f.body);
  const head = [`HTTP/1.1 ${f.status} ${STATUS_CODES[f.status]}`];
  for (const [k, v] of Object.entries({ ...f.headers, ...cfHeaders(), 'content-length': body.length, connection: 'close' })) {
    head.push(`${k}: ${v}`);
  }
  socket.end(Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n'), body]));
  return f.status;
}
