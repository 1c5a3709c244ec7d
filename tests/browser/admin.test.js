// The admin web app and the playground in headless Chromium, in order, on one fresh Worker:
// the first login forces the password change; tokens imported from pasted text show their
// tier; a note with HTML renders as text; a key is shown once; a streamed chat in /chat shows
// up in the logs and the dashboard; the playground's image and video tabs show the fake's
// media; the cache page deletes and clears; the audit page lists every write; a key is edited
// and disabled through its forms; the dashboard's numbers are those of the pages it sums up;
// every page fits a 390 px phone; screenshots of each page. No fixed sleeps: each step waits for
// what it expects to see.
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import { launch, newContext, watchedPage, screenshot, overflow, settled, noScriptRan, painted, baseUrl, shotsDir, DESKTOP, PHONE } from './helpers.js';
import { fakeControl } from '../fake-grok/control-client.mjs';

const upstream = fakeControl(inject('fakeUrl'));
const b64 = (bytes) => Buffer.from(bytes).toString('base64');

const NEW_PASSWORD = 'browser-test-Pa55word';
const XSS_NOTE = '<img src=x onerror=alert(1)>';
let browser;
let ctx; // logged-in desktop context, reused by the later tests
let apiKey = null;

// Log rows are written after a response ends: the logs page is refreshed until they show.
const POLL_LOGS = { timeout: 20000, interval: 500 };
async function refreshedCount(page, rows) {
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.waitForLoadState('networkidle');
  return rows.count();
}


// The number a `.stat` tile with exactly this label shows.
async function statValue(page, label) {
  const tile = page.locator('.stat').filter({ has: page.locator('.label', { hasText: new RegExp(`^${label}$`) }) });
  await tile.first().waitFor();
  expect(await tile.count(), `one "${label}" tile`).toBe(1);
  return Number((await tile.locator('.value').textContent()).replace(/[^\d]/g, ''));
}

// The admin API as the logged-in browser context sees it.
const api = async (path) => (await ctx.request.get(`${baseUrl}/api/admin/${path}`)).json();

// An admin write as the logged-in browser context (its session's CSRF token, its origin).
async function apiWrite(method, path, data) {
  const { csrf_token: csrf } = await api('session');
  const r = await ctx.request.fetch(`${baseUrl}/api/admin/${path}`, { method, data, headers: { 'x-csrf-token': csrf, origin: baseUrl } });
  expect(r.status(), await r.text()).toBe(200);
  return r.json();
}

// The bytes behind a URL the page shows, fetched in the logged-in context.
const bytesOf = async (url) => {
  const r = await ctx.request.get(new URL(url, baseUrl).href);
  expect(r.status()).toBe(200);
  return b64(await r.body());
};

beforeAll(async () => {
  browser = await launch();
  ctx = await newContext(browser);
});

afterAll(async () => {
  await ctx?.close();
  await browser?.close();
});

describe('admin web app', () => {
  it('first login forces the password change, then opens the dashboard', async () => {
    const page = await watchedPage(ctx);
    await page.goto('/admin/tokens');
    await page.waitForURL(/\/login\?next=%2Fadmin%2Ftokens/);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong username or password');

    await page.getByLabel('Password').fill('admin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    // Nothing else works until the password is changed.
    const blocked = await page.evaluate(async () => (await fetch('/api/admin/tokens')).status);
    expect(blocked).toBe(403);

    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Repeat the new password').fill('short');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('at least 10 characters');

    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForURL(/\/admin\/tokens$/);
    await page.getByRole('heading', { name: 'Tokens', level: 1 }).waitFor();
    const session = await page.evaluate(async () => (await fetch('/api/admin/session')).json());
    expect(session).toMatchObject({ username: 'admin', must_change_password: false });
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('tokens imported from pasted text appear with their tier', async () => {
    const page = await watchedPage(ctx);
    await page.goto('/admin/tokens');
    await settled(page);
    await page.getByRole('button', { name: 'Import' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Tokens, one per line').fill('tok-ok-browser-alpha\nsso=tok-ok-browser-beta\n\n');
    await dialog.getByLabel('Tier').selectOption('super');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await page.getByText('2 added, 0 duplicates, 0 rejected').waitFor();

    const rows = page.locator('table.data tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    for (const text of await rows.allTextContents()) expect(text).toContain('Super');
    // The secret itself is never on the page, only its masked form.
    expect(await page.content()).not.toContain('tok-ok-browser-alpha');

    // One more, added singly with another tier.
    await page.getByRole('button', { name: 'Add token' }).click();
    await page.getByRole('dialog').getByLabel('Token (sso cookie)').fill('tok-ok-browser-gamma');
    await page.getByRole('dialog').getByLabel('Tier').selectOption('basic');
    await page.getByRole('dialog').getByRole('button', { name: 'Add token' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    expect((await rows.allTextContents()).filter((t) => t.includes('Basic'))).toHaveLength(1);
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('a token note containing HTML renders as text and runs nothing', async () => {
    const page = await watchedPage(ctx);
    await page.goto('/admin/tokens');
    await settled(page);
    const row = page.locator('table.data tbody tr').first();
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('dialog').getByLabel('Note').fill(XSS_NOTE);
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();

    const note = page.locator('.token-note', { hasText: 'onerror' });
    await note.waitFor();
    expect(await note.textContent()).toBe(XSS_NOTE);
    expect(await page.locator('table.data img').count()).toBe(0);
    // Reload: rendered from the API's data the same way.
    await page.reload();
    await settled(page);
    expect(await page.locator('.token-note', { hasText: 'onerror' }).textContent()).toBe(XSS_NOTE);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await noScriptRan(page);
    expect(page.problems.dialogs).toEqual([]);
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('a token test runs a real chat on the account and reports the outcome', async () => {
    const page = await watchedPage(ctx);
    await page.goto('/admin/tokens');
    await settled(page);
    await page.locator('table.data tbody tr').first().getByRole('button', { name: 'Test' }).click();
    const ask = page.getByRole('dialog');
    await ask.getByLabel('Chat model').waitFor();
    await ask.getByRole('button', { name: 'Test' }).click();
    const result = page.getByRole('dialog').filter({ hasText: 'The token works.' });
    await result.waitFor({ timeout: 20000 });
    await result.getByRole('button', { name: 'Close' }).click();
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('a key is created and its plaintext is shown once', async () => {
    const page = await watchedPage(ctx);
    await page.goto('/admin/keys');
    await settled(page);
    await page.getByRole('button', { name: 'Create key' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('browser test');
    await dialog.getByLabel('Chat').fill('50');
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByTestId('new-key');
    await shown.waitFor();
    apiKey = (await shown.textContent()).trim();
    expect(apiKey).toMatch(/^sk-/);
    await screenshot(page, 'keys-created-dialog-desktop');
    await page.getByRole('dialog').getByRole('button', { name: 'I have saved it' }).click();

    const row = page.locator('table.data tbody tr', { hasText: 'browser test' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Chat 0/50');
    expect(await page.content()).not.toContain(apiKey);
    await page.reload();
    await settled(page);
    await page.locator('table.data tbody tr', { hasText: 'browser test' }).waitFor();
    expect(await page.content()).not.toContain(apiKey);
    const listed = await page.evaluate(async () => JSON.stringify(await (await fetch('/api/admin/keys')).json()));
    expect(listed).not.toContain(apiKey);
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('a chat in /chat streams a reply, then shows in the logs and on the dashboard', async () => {
    expect(apiKey).toBeTruthy();
    const page = await watchedPage(ctx);
    await page.goto('/chat');
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Load models' }).click();
    await page.getByText(/\d+ models available/).waitFor();
    const model = page.locator('#panel-chat select').first();
    const options = await model.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(0);
    expect(options.some((o) => /video|imagine/.test(o))).toBe(false);
    const chosen = await model.inputValue();

    const prompt = 'hello from the browser test';
    await upstream.settled();
    await upstream.clearRequests();
    const responded = page.waitForResponse((r) => r.url().endsWith('/v1/chat/completions'));
    await page.getByLabel('Message').fill(prompt);
    await page.getByRole('button', { name: 'Send' }).click();
    const res = await responded;
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/event-stream');
    expect(JSON.parse(res.request().postData())).toMatchObject({ stream: true, model: chosen });
    const answer = page.locator('.msg.assistant .answer');
    await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 20000 }); // the stream ended
    // The page shows exactly what the fake answered, to the prompt typed.
    const [sent] = (await upstream.chats()).filter((e) => e.chat);
    expect(sent.chat.prompt).toBe(prompt);
    expect(sent.chat.answer).toBe(`You said: ${prompt}`);
    expect((await answer.textContent()).trim()).toBe(sent.chat.answer);
    await screenshot(page, 'chat-conversation-desktop');
    // The key is not remembered unless asked.
    expect(await page.evaluate(() => localStorage.getItem('g2a.playground.key'))).toBeNull();

    // The request log (written once the stream has ended).
    await page.goto('/admin/logs');
    const logRow = page.locator('table.data tbody tr', { hasText: chosen });
    await expect.poll(() => refreshedCount(page, logRow), POLL_LOGS).toBeGreaterThan(0);
    const text = await logRow.first().textContent();
    expect(text).toContain('200');
    expect(text).toContain('browser test');
    expect(text).toContain('/v1/chat/completions');

    // The dashboard counts it.
    await page.goto('/admin');
    await settled(page);
    const requests = page.locator('.stat', { hasText: 'Requests (24 h)' }).locator('.value');
    expect(Number((await requests.textContent()).replace(/\D/g, ''))).toBeGreaterThanOrEqual(1);
    await page.locator('.bars', { hasText: chosen }).waitFor();
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('the playground API switch answers through Responses and Messages and lists each stream\'s raw events', async () => {
    const page = await watchedPage(ctx);
    await page.goto('/chat');
    await page.getByLabel('API key').fill(apiKey);
    const rawItems = page.locator('#panel-chat .raw-events li');
    const turns = [
      ['responses', '/v1/responses', 'response.created', 'response.completed'],
      ['messages', '/v1/messages', 'message_start', 'message_stop'],
    ];
    for (const [id, path, first, last] of turns) {
      await page.getByLabel('API', { exact: true }).selectOption(id);
      await page.getByRole('button', { name: 'New conversation' }).click();
      const prompt = `hello through ${id}`;
      await upstream.settled();
      await upstream.clearRequests();
      const responded = page.waitForResponse((r) => new URL(r.url()).pathname === path);
      await page.getByLabel('Message').fill(prompt);
      await page.getByRole('button', { name: 'Send' }).click();
      const res = await responded;
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toContain('text/event-stream');
      const sentBody = JSON.parse(res.request().postData());
      expect(sentBody.stream).toBe(true);
      if (id === 'responses') expect(sentBody.input).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] }]);
      else expect(sentBody).toMatchObject({ max_tokens: expect.any(Number), messages: [{ role: 'user', content: prompt }] });
      await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 20000 }); // the stream ended
      const [sent] = (await upstream.chats()).filter((e) => e.chat);
      expect(sent.chat.prompt).toBe(prompt);
      expect((await page.locator('.msg.assistant .answer').last().textContent()).trim()).toBe(sent.chat.answer);
      // The raw events panel lists the stream as the client API sent it, first to last.
      await page.getByText('Raw events of the last streamed answer').click();
      const names = await rawItems.locator('b').allTextContents();
      expect(names[0]).toBe(first);
      expect(names.at(-1)).toBe(last);
      expect(await rawItems.count()).toBe(names.length); // every event of these APIs is named
      await page.getByText('Raw events of the last streamed answer').click();
    }
    // The choice is remembered for the next visit.
    expect(await page.evaluate(() => localStorage.getItem('g2a.playground.api'))).toBe('messages');
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('the playground image tab shows the images the fake generated', async () => {
    expect(apiKey).toBeTruthy();
    await upstream.settled();
    await upstream.clearRequests();
    const page = await watchedPage(ctx);
    await page.goto('/chat');
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Load models' }).click();
    await page.getByText(/\d+ models available/).waitFor();
    await page.getByRole('tab', { name: 'Images' }).click();
    const panel = page.locator('#panel-image');
    await panel.getByLabel('Prompt').fill('a lighthouse at dawn');
    await panel.getByLabel('Images').fill('2');
    await panel.getByLabel('Size').selectOption('1792x1024');
    await panel.getByRole('button', { name: 'Generate', exact: true }).click();
    await panel.getByText(/^2 image\(s\) in /).waitFor({ timeout: 20000 });
    // The fake was asked for exactly that, and each picture shown is one of its images.
    const sockets = (await upstream.settled()).filter((e) => e.path === '/ws/imagine/listen');
    const [req] = sockets.flatMap((e) => e.ws.requests);
    expect(req).toMatchObject({ prompt: 'a lighthouse at dawn', n: 2, aspect: '16:9' });
    const want = [];
    for (const p of req.images) want.push(b64(await upstream.asset(p)));
    const srcs = await panel.locator('.gallery img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
    expect(srcs).toHaveLength(2);
    const got = [];
    for (const src of srcs) {
      expect(src).toMatch(/\/images\/[A-Za-z0-9_-]+$/);
      got.push(await bytesOf(src));
    }
    expect(got.sort()).toEqual(want.sort());
    await screenshot(page, 'chat-images-desktop');
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  // Generates a video in the playground's video tab and returns the page, the tab's panel and the
  // fake's record of the video it made.
  async function playgroundVideo(prompt) {
    await upstream.settled();
    await upstream.clearRequests();
    const page = await watchedPage(ctx);
    await page.goto('/chat');
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Load models' }).click();
    await page.getByText(/\d+ models available/).waitFor();
    await page.getByRole('tab', { name: 'Video' }).click();
    const panel = page.locator('#panel-video');
    await panel.getByLabel('Prompt').fill(prompt);
    await panel.getByLabel('Aspect ratio').selectOption('16:9');
    const created = page.waitForResponse((r) => r.url().endsWith('/v1/videos') && r.request().method() === 'POST');
    await panel.getByRole('button', { name: 'Generate video' }).click();
    expect((await (await created).json()).status).toBe('queued');
    // The tab is done with the answer when its button is enabled again.
    await expect.poll(() => panel.getByRole('button', { name: 'Generate video' }).isEnabled(), { timeout: 20000 }).toBe(true);
    const posts = (await upstream.settled()).filter((e) => e.body && e.body.mediaGenInput);
    expect(posts).toHaveLength(1);
    expect(posts[0].body.mediaGenInput.textToVideo).toMatchObject({ aspectRatio: '16:9', prompt: expect.stringContaining(prompt) });
    return { page, panel, made: posts[0].chat.videos[0] };
  }

  it('the playground video tab runs a video job and plays the video the fake generated', async () => {
    const { page, panel, made } = await playgroundVideo('a paper boat on a rainy street');
    const figure = panel.locator('.gallery figure');
    await figure.waitFor();
    // The tab played the job's content (fetched with the API key, shown from a blob: URL); the
    // job's content is the fake's video byte for byte.
    expect(await panel.locator('.gallery video').getAttribute('src')).toMatch(/^blob:/);
    const id = await figure.getAttribute('data-video');
    expect(id).toMatch(/^video_/);
    const r = await ctx.request.get(`${baseUrl}/v1/videos/${id}/content`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(r.status()).toBe(200);
    expect(b64(await r.body())).toBe(b64(await upstream.asset(made)));
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('the cache page lists the cached media, deletes one and clears the rest (each confirmed); links still serve', async () => {
    // The playground's images and video were fetched through their links: each is cached once
    // its body has been served (the index row comes last).
    await expect.poll(async () => (await api('cache?limit=200')).count, { timeout: 10000, interval: 100 }).toBeGreaterThanOrEqual(3);
    const listed = await api('cache?limit=200');
    const page = await watchedPage(ctx);
    await page.goto('/admin/cache');
    await settled(page);
    expect(await statValue(page, 'Cached files')).toBe(listed.count);
    const rows = page.locator('table.data tbody tr');
    expect(await rows.count()).toBe(listed.data.length);

    // Delete the first row: asked first, then gone from the list and from the API.
    const victim = listed.data[0];
    await rows.first().getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Cached file deleted').waitFor();
    await expect.poll(() => statValue(page, 'Cached files')).toBe(listed.count - 1);
    const after = await api('cache?limit=200');
    expect(after.count).toBe(listed.count - 1);
    expect(after.data.map((r) => r.key)).not.toContain(victim.key);

    // Clear the rest: asked first, then empty.
    await page.getByRole('button', { name: 'Clear cache' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Clear cache' }).click();
    await page.getByText(`Cache cleared (${listed.count - 1} files)`).waitFor();
    await page.getByText('The cache is empty').waitFor();
    expect((await api('cache?limit=200')).count).toBe(0);

    // The deleted copy's link still serves the same bytes, fetched from the upstream again.
    const before = await upstream.stats();
    const again = await bytesOf(`/images/${victim.media_id}`);
    expect(again.length).toBeGreaterThan(0);
    const hits = (x) => Object.values(x.assetHits).reduce((a, b) => a + b, 0);
    expect(hits(await upstream.stats())).toBe(hits(before) + 1);
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('requests refused without a valid key are counted on the dashboard, not logged', async () => {
    const before = await ctx.request.get(`${baseUrl}/api/admin/stats`).then((r) => r.json());
    const logged401 = async () => (await ctx.request.get(`${baseUrl}/api/admin/logs?status=401&limit=200`).then((r) => r.json())).data.length;
    const rows401 = await logged401();
    for (const authorization of [null, 'Bearer sk-not-a-real-key', 'Bearer another-wrong-key']) {
      const r = await fetch(`${baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ model: 'grok-4', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(r.status).toBe(401);
    }
    // The cron writes whatever an isolate still holds in its tally.
    await fetch(`${baseUrl}/__scheduled?cron=${encodeURIComponent('0 * * * *')}`);
    const page = await watchedPage(ctx);
    await page.goto('/admin');
    await settled(page);
    const tile = page.locator('[data-stat="refused"]');
    await expect.poll(async () => Number((await tile.locator('.value').textContent()).replace(/\D/g, ''))).toBeGreaterThanOrEqual((before.refused?.today ?? 0) + 3);
    expect(await tile.textContent()).toContain('401 invalid_api_key');
    expect(await logged401()).toBe(rows401);
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('HTML a client puts in the request log (model, error message) renders as text and runs nothing', async () => {
    expect(apiKey).toBeTruthy();
    // Any key holder chooses the model string; an unknown model is refused but logged verbatim.
    const model = `<img src=x onerror=alert(1)>${Date.now()}`;
    const r = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(r.status).toBe(404);
    const page = await watchedPage(ctx);
    await page.goto('/admin/logs');
    const row = page.locator('table.data tbody tr', { hasText: model });
    await expect.poll(() => refreshedCount(page, row), POLL_LOGS).toBe(1);
    expect(await row.locator('.mono', { hasText: model }).textContent()).toBe(model);
    await row.getByRole('button', { name: 'Details' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(model);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await noScriptRan(page);
    expect(page.problems.dialogs).toEqual([]);
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('a key is edited and disabled through its forms; disabled, it is refused (and logged); enabled again, it works', async () => {
    const page = await watchedPage(ctx);
    await page.goto('/admin/keys');
    await settled(page);
    const row = page.locator('table.data tbody tr', { hasText: 'browser test' });
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit “browser test”' });
    await dialog.getByLabel('Name').fill('browser test edited');
    await dialog.getByLabel('Chat').fill('60');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    const edited = page.locator('table.data tbody tr', { hasText: 'browser test edited' });
    await edited.waitFor();
    expect(await edited.textContent()).toMatch(/Chat \d+\/60/);
    const stored = (await api('keys')).data.find((k) => k.name === 'browser test edited');
    expect(stored).toMatchObject({ enabled: true, limits: { chat: 60 } });

    const models = () => fetch(`${baseUrl}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } });
    await edited.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('Key disabled').waitFor();
    await expect.poll(() => edited.locator('.badge').first().textContent()).toBe('Disabled');
    expect((await api('keys')).data.find((k) => k.id === stored.id).enabled).toBe(false);
    const refused = await models();
    expect(refused.status).toBe(401);
    const refusedId = refused.headers.get('x-request-id');
    expect((await refused.json()).error.code).toBe('invalid_api_key');
    // A stored key, even disabled, leaves its log row.
    await expect.poll(async () => (await api('logs?limit=50')).data.some((r) => r.id === refusedId && r.status === 401), POLL_LOGS).toBe(true);

    await edited.getByRole('button', { name: 'Enable' }).click();
    await page.getByText('Key enabled').waitFor();
    await expect.poll(() => edited.locator('.badge').first().textContent()).toBe('Active');
    expect((await models()).status).toBe(200);
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('settings: a bad value is refused and named at its field, a good one is saved', async () => {
    const page = await watchedPage(ctx);
    await page.goto('/admin/settings');
    await settled(page);
    const field = page.getByLabel('First-frame timeout (s)');
    await field.fill('0');
    await page.getByText('1 unsaved change(s)').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    const row = page.locator('.setting.invalid');
    await row.waitFor();
    expect(await row.textContent()).toContain('first_byte_timeout_s');
    expect(await field.getAttribute('aria-invalid')).toBe('true');

    await field.fill('45');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('1 setting(s) saved').waitFor();
    await settled(page);
    expect(await page.getByLabel('First-frame timeout (s)').inputValue()).toBe('45');
    const stored = await page.evaluate(async () => (await (await fetch('/api/admin/settings')).json()).data.find((s) => s.key === 'first_byte_timeout_s'));
    expect(stored.value).toBe(45);
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('destructive actions ask first: cancel keeps the token, confirm deletes it', async () => {
    const page = await watchedPage(ctx);
    await page.goto('/admin/tokens');
    await settled(page);
    const rows = page.locator('table.data tbody tr');
    const before = await rows.count();
    const target = rows.filter({ hasText: 'Basic' }).first();
    await target.getByRole('button', { name: /^Delete/ }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await rows.count()).toBe(before);

    await target.getByRole('button', { name: /^Delete/ }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Token deleted').waitFor();
    await expect.poll(() => rows.count()).toBe(before - 1);
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('the audit page lists every admin write, newest first, and its search narrows the list', async () => {
    const listed = (await api('audit')).data;
    const actions = listed.map((r) => r.action);
    // The writes this file made so far, each recorded.
    for (const a of ['tokens.import', 'keys.create', 'keys.update', 'settings.update', 'tokens.delete', 'cache.delete', 'cache.clear']) expect(actions).toContain(a);
    const page = await watchedPage(ctx);
    await page.goto('/admin/audit');
    await settled(page);
    const rows = page.locator('table.data tbody tr');
    expect(await rows.count()).toBe(listed.length);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('.badge').textContent));
    expect(shown).toEqual(actions);
    await page.getByLabel('Search').fill('keys.');
    const matching = listed.filter((r) => `${r.username} ${r.action} ${r.target} ${JSON.stringify(r.detail)}`.toLowerCase().includes('keys.'));
    await expect.poll(() => rows.count()).toBe(matching.length);
    expect(matching.length).toBeGreaterThanOrEqual(3); // create, update (edit), update (disable), update (enable)
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('the dashboard shows the numbers of the pages it sums up (requests, tokens, keys)', async () => {
    const page = await watchedPage(ctx);
    await page.goto('/admin');
    await settled(page);
    // Requests in 24 h: the request log's rows of the last 24 h.
    let logged = 0;
    let before = '';
    for (;;) {
      const pageOfLogs = await api(`logs?limit=200${before}`);
      logged += pageOfLogs.data.filter((r) => r.ts >= Date.now() - 86400000).length;
      if (!pageOfLogs.next_before || !pageOfLogs.data.length) break;
      before = `&before=${pageOfLogs.next_before}`;
    }
    expect(await statValue(page, 'Requests \\(24 h\\)')).toBe(logged);
    const tile = (await page.locator('.stat', { hasText: 'Active tokens' }).locator('.value').textContent()).trim();
    const keysLine = await page.getByText(/^API keys: \d+ enabled of \d+\.$/).textContent();

    await page.goto('/admin/tokens');
    await settled(page);
    const tokens = { total: await statValue(page, 'Total'), active: await statValue(page, 'Active') };
    expect(tile).toBe(`${tokens.active} / ${tokens.total}`);

    await page.goto('/admin/keys');
    await settled(page);
    const keys = { total: await statValue(page, 'Total'), disabled: await statValue(page, 'Disabled') };
    expect(keysLine).toBe(`API keys: ${keys.total - keys.disabled} enabled of ${keys.total}.`);
    expect(page.problems.errors).toEqual([]);
    await page.close();
  });

  it('every page fits a 390 px phone without horizontal scroll; screenshots of each page', async () => {
    const state = await ctx.storageState();
    const pages = [
      ['login', '/login', false],
      ['dashboard', '/admin', true],
      ['tokens', '/admin/tokens', true],
      ['keys', '/admin/keys', true],
      ['settings', '/admin/settings', true],
      ['logs', '/admin/logs', true],
      ['cache', '/admin/cache', true],
      ['audit', '/admin/audit', true],
      ['chat', '/chat', false],
      ['home', '/', false],
      ['not-found', '/no-such-page', false],
    ];
    const variants = [
      ['desktop', DESKTOP, 'light'],
      ['phone', PHONE, 'light'],
      ['phone-dark', PHONE, 'dark'],
    ];
    const problems = [];
    for (const [variant, viewport, colorScheme] of variants) {
      const vctx = await newContext(browser, { viewport, colorScheme, storageState: state });
      const anon = await newContext(browser, { viewport, colorScheme });
      for (const [name, path, needsLogin] of pages) {
        const page = await watchedPage(needsLogin ? vctx : anon);
        await page.goto(path);
        await settled(page);
        if (name === 'chat') await page.getByLabel('Message').fill('A phone-sized question');
        await painted(page);
        const file = await screenshot(page, `${name}-${variant}`);
        if (viewport === PHONE) {
          const { scrollWidth, clientWidth } = await overflow(page);
          if (scrollWidth > clientWidth) problems.push(`${name} (${variant}): scrollWidth ${scrollWidth} > clientWidth ${clientWidth}, see ${file}`);
        }
        if (page.problems.errors.length) problems.push(`${name} (${variant}): ${page.problems.errors.join('; ')}`);
        await page.close();
      }
      await vctx.close();
      await anon.close();
    }
    console.log(`browser screenshots: ${shotsDir}`);
    expect(problems).toEqual([]);
  }, 240000);

  it('the phone menu opens the navigation and the theme and language switches work', async () => {
    const state = await ctx.storageState();
    const pctx = await newContext(browser, { viewport: PHONE, storageState: state });
    const page = await watchedPage(pctx);
    await page.goto('/admin/keys');
    await settled(page);
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.locator('#nav-drawer').getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/admin\/settings$/);

    await page.getByRole('button', { name: 'Menu' }).click();
    await page.locator('#nav-drawer').getByRole('button', { name: 'Theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.locator('#nav-drawer').getByRole('button', { name: 'Theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

    await page.locator('#nav-drawer').getByRole('button', { name: 'Language' }).click();
    await page.getByRole('heading', { name: '配置', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await screenshot(page, 'settings-phone-zh-dark');
    expect(page.problems.errors).toEqual([]);
    await pctx.close();
  });

  it('logout ends the session', async () => {
    const page = await watchedPage(ctx);
    await page.goto('/admin');
    await settled(page);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    const status = await page.evaluate(async () => (await fetch('/api/admin/session')).status);
    expect(status).toBe(401);
    await page.goto('/admin/keys');
    await page.waitForURL(/\/login\?next=/);
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
    await page.close();
  });
});
