// A small relay Worker for the egress tests (tests/workers/egress.test.js): the gateway's
// service binding GROK_RELAY points here. It forwards every request (WebSocket upgrades too) to
// the URL it was given — the fake Grok upstream in the tests, grok.com in a real deployment — and
// marks it with `x-g2a-relay`, so the fake's record shows the request came through the binding.
export default {
  async fetch(request) {
    const headers = new Headers(request.headers);
    headers.set('x-g2a-relay', 'grok-relay');
    return fetch(new Request(request, { headers }));
  },
};
