// The HTML surfaces used for statsig refresh (reference §2.4/§2.5): `GET /` carries the
// `grok-site-verification` meta (the seed), the curves table JSON-escaped inside an RSC
// payload and a chunk URL holding the seed indices; `GET /index` is a branded 404.
import { makeCurves } from './animation-key.mjs';
import { DEFAULT_CURVES_LABEL, DEFAULT_STATSIG_INDICES } from './defaults.mjs';
import { sendText } from './util.mjs';

export const STATSIG_CHUNK_PATH = '/_next/static/chunks/8f2c-fakegrok-statsig.js';

// `cfg.homeCurves: false` serves a page without the curves table (as after a grok.com release
// that moved it), so the gateway's statsig chain can be tested against it.
export function homeHtml(cfg) {
  const curves = makeCurves(DEFAULT_CURVES_LABEL);
  const payload = cfg.homeCurves === false ? '"layout":"new-build"' : `"curves":${JSON.stringify(curves)}`;
  const rsc = JSON.stringify(`1:{"buildId":"fake-build-1",${payload}}\n`);
  return `<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>Grok</title>
<meta name="grok-site-verification" content="${cfg.statsigSeedB64}"/>
<script src="${STATSIG_CHUNK_PATH}" async=""></script>
</head><body><div id="root">Grok</div>
<script>(self.__next_f=self.__next_f||[]).push([0])</script>
<script>self.__next_f.push([1,${rsc}])</script>
</body></html>
`;
}

export function indexHtml() {
  return `<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><title>Page not found | Grok</title></head>
<body><main><h1>404</h1><p>This page could not be found. Back to <a href="/">Grok</a>.</p></main></body></html>
`;
}

export const chunkJs = () =>
  `"use strict";(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[8123],{4411:(e,t,n)=>{n.d(t,{statsigIndices:()=>r});let r=${JSON.stringify(DEFAULT_STATSIG_INDICES)}}}]);\n`;

export function handlePage(env, req, res, url) {
  if (url.pathname === '/') return sendText(res, 200, homeHtml(env.state.config), 'text/html; charset=utf-8'), 200;
  if (url.pathname === STATSIG_CHUNK_PATH) return sendText(res, 200, chunkJs(), 'application/javascript; charset=utf-8'), 200;
  return sendText(res, 404, indexHtml(), 'text/html; charset=utf-8'), 404;
}
