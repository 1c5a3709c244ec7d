// Helpers for the browser tests: Chromium launch options, pages that record console errors,
// CSP violations and unexpected JavaScript dialogs, screenshots, and overflow measurement.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { chromium } from 'playwright-core';

export const baseUrl = inject('baseUrl');
export const shotsDir = path.resolve(import.meta.dirname, '../../test-results/screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newContext(browser, { viewport = DESKTOP, colorScheme = 'light', storageState } = {}) {
  const ctx = await browser.newContext({ baseURL: baseUrl, viewport, colorScheme, locale: 'en-US', storageState, reducedMotion: 'reduce' });
  ctx.setDefaultTimeout(15000);
  return ctx;
}

// A page whose problems are collected: console errors (incl. CSP violations), uncaught
// exceptions and any alert/confirm/prompt dialog (none is expected anywhere).
export async function watchedPage(ctx) {
  const page = await ctx.newPage();
  const problems = { errors: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.errors.push(m.text());
  });
  page.on('pageerror', (e) => problems.errors.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => {
    problems.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.problems = problems;
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(shotsDir, { recursive: true });
  const file = path.join(shotsDir, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export function overflow(page) {
  return page.evaluate(() => ({ scrollWidth: document.scrollingElement.scrollWidth, clientWidth: document.scrollingElement.clientWidth }));
}

// Waits until the page has rendered something other than its loading placeholder.
export async function settled(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.loading'), null, { timeout: 10000 }).catch(() => {});
}

// After an XSS payload was rendered: waits until an image that fails to load in this page has
// fired its error handler (what `<img src=x onerror=…>` would have done had it been inserted),
// so that a script the payload ran has had its chance to open a dialog.
export async function noScriptRan(page) {
  await page.evaluate(
    () => new Promise((resolve) => {
      const probe = new Image();
      probe.onerror = probe.onload = resolve;
      probe.src = `x?probe=${Math.random()}`;
    }),
  );
}

// Waits until web fonts are loaded and two frames have been painted (layout settled for a
// screenshot or a measurement).
export async function painted(page) {
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
}
