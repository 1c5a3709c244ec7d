// A client of the fake's control API for tests (fetch only: runs in Node and inside workerd).
// Every call checks the fake's answer: a refused switch (unknown scenario, option, unreachable
// path) throws instead of letting the test run against the normal answer, and setScenario
// returns the override the fake reports it now holds.
//
//   const fake = fakeControl(url);
//   await fake.setScenario({ token, name: 'eof', options: { afterFrames: 6 } });
//   const attempts = await fake.chats(); // the chat exchanges it recorded, oldest first

// Where the fake records a chat exchange, per transport.
export const CHAT_PATHS = ['/rest/app-chat/conversations/', '/ws/mgw/'];

export function fakeControl(baseUrl) {
  async function call(method, path, body) {
    const r = await fetch(`${baseUrl}/__fake/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* checked below */
    }
    if (r.status !== 200 || json === null) throw new Error(`fake ${method} /__fake/${path}: ${r.status} ${text.slice(0, 300)}`);
    return json;
  }
  const requests = (prefix = '') => call('GET', `requests?path=${encodeURIComponent(prefix)}`);
  return {
    call,
    // Sets an override and returns it as the fake now holds it ({name, options, times, path}).
    async setScenario(spec) {
      const r = await call('POST', 'scenario', { options: {}, ...spec });
      const held = spec.token ? r.overrides?.tokens?.[spec.token] : r.overrides?.global;
      if (!r.ok || !held || held.name !== spec.name) throw new Error(`fake scenario ${spec.name} not held: ${JSON.stringify(r)}`);
      return held;
    },
    // The overrides still held (an override with `times` disappears once used up).
    overrides: () => call('GET', 'scenario'),
    clearScenarios: () => call('DELETE', 'scenario'),
    requests,
    clearRequests: () => call('DELETE', 'requests'),
    reset: () => call('POST', 'reset'),
    stats: () => call('GET', 'stats'),
    config: (patch) => (patch ? call('POST', 'config', patch) : call('GET', 'config')),
    // The chat attempts, oldest first: every REST conversation POST and every mgw handshake,
    // refused ones included (`e.chat` is set on those that got as far as an answer).
    async chats() {
      const all = await requests();
      return all.filter((e) => CHAT_PATHS.some((p) => e.path.startsWith(p)) && (e.method === 'POST' || e.path.startsWith('/ws/')));
    },
    // Every request that reached the upstream: grok.com surfaces (REST, uploads, WebSocket
    // handshakes, pages), the assets host and the public host.
    upstream: () => requests(),
    // Waits until the fake has no HTTP response or WebSocket open (every exchange ended, however
    // it ended), then returns its record. Throws when something stays open past `timeoutMs`.
    async settled(timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const { open } = await call('GET', 'stats');
        if (open.http === 0 && open.ws === 0) return requests();
        if (Date.now() > until) throw new Error(`fake: still open after ${timeoutMs} ms: ${JSON.stringify(open)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    // The bytes the assets or public host serves for a path or URL.
    async asset(path) {
      const r = await fetch(`${baseUrl}/__fake/asset?path=${encodeURIComponent(path)}`);
      if (r.status !== 200) throw new Error(`fake asset ${path}: ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    },
  };
}
