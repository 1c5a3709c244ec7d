// The admin web app and the playground in headless Chromium, in order, on one fresh Worker:
// the first login forces the password change; tokens imported from pasted text show their
// tier; a note with HTML renders as text; a key is shown once; a streamed chat in /chat shows
// up in the logs and the dashboard; every page fits a 390 px phone; screenshots of each page.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { launch, newContext, watchedPage, screenshot, overflow, settled, baseUrl, shotsDir, DESKTOP, PHONE } from './helpers.js';

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
    await page.waitForTimeout(300);
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
    const responded = page.waitForResponse((r) => r.url().endsWith('/v1/chat/completions'));
    await page.getByLabel('Message').fill(prompt);
    await page.getByRole('button', { name: 'Send' }).click();
    const res = await responded;
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/event-stream');
    expect(JSON.parse(res.request().postData())).toMatchObject({ stream: true, model: chosen });
    const answer = page.locator('.msg.assistant .answer');
    await expect.poll(() => answer.textContent(), { timeout: 20000 }).toContain(`You said: ${prompt}`);
    await page.getByRole('button', { name: 'Send' }).waitFor();
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
    await page.waitForTimeout(300);
    expect(page.problems.dialogs).toEqual([]);
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
        await page.waitForTimeout(150);
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
