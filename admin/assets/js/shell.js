// The page frame shared by the admin pages and the playground: top bar with navigation
// (a drawer on phones), language and theme switches, the signed-in user and logout.
// adminPage() also checks the session first and sends visitors without one to /login.
import { h, mount } from './dom.js';
import { t, lang, setLang } from './i18n.js';
import { getTheme, nextTheme } from './theme.js';
import { session, post, loginUrl, errorText } from './api.js';

const NAV = [
  ['/admin', 'nav.dashboard'],
  ['/admin/tokens', 'nav.tokens'],
  ['/admin/keys', 'nav.keys'],
  ['/admin/settings', 'nav.settings'],
  ['/admin/logs', 'nav.logs'],
  ['/admin/cache', 'nav.cache'],
  ['/admin/audit', 'nav.audit'],
  ['/chat', 'nav.playground'],
];

function themeLabel() {
  return t(`theme.${getTheme()}`);
}

export function prefButtons() {
  const langBtn = h(
    'button',
    { type: 'button', class: 'btn sm', lang: lang() === 'zh' ? 'en' : 'zh-CN', 'aria-label': t('pref.language'), onclick: () => setLang(lang() === 'zh' ? 'en' : 'zh') },
    lang() === 'zh' ? 'English' : '中文',
  );
  const themeBtn = h('button', { type: 'button', class: 'btn sm', 'aria-label': t('pref.theme') }, themeLabel());
  themeBtn.addEventListener('click', () => {
    nextTheme();
    themeBtn.textContent = themeLabel();
  });
  return [langBtn, themeBtn];
}

function navLinks(active, items) {
  return h(
    'nav',
    { class: 'nav', 'aria-label': t('nav.label') },
    items.map(([href, key]) => h('a', { href, 'aria-current': href === active ? 'page' : null }, t(key))),
  );
}

async function logout() {
  try {
    await post('logout', {}, { noRedirect: true });
  } catch {
    /* the session may already be gone */
  }
  location.assign('/login');
}

// Renders the top bar into #topbar. opts: {active, user, items}
export function renderHeader({ active, user, items = NAV }) {
  const actions = () => {
    const list = [...prefButtons()];
    if (user) {
      list.push(h('span', { class: 'muted small nowrap', title: t('nav.signed_in_as') }, user));
      list.push(h('button', { type: 'button', class: 'btn sm', onclick: logout }, t('nav.logout')));
    }
    return h('div', { class: 'top-actions' }, list);
  };
  const drawer = h('div', { class: 'drawer', id: 'nav-drawer' }, navLinks(active, items), actions());
  const menuBtn = h('button', { type: 'button', class: 'btn sm menu-btn', 'aria-expanded': 'false', 'aria-controls': 'nav-drawer' }, t('nav.menu'));
  menuBtn.addEventListener('click', () => {
    const open = drawer.classList.toggle('open');
    menuBtn.setAttribute('aria-expanded', String(open));
  });
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('nav.skip');
  const bar = document.getElementById('topbar');
  bar.className = 'topbar';
  mount(
    bar,
    h(
      'div',
      { class: 'topbar-inner' },
      h('a', { class: 'brand', href: user ? '/admin' : '/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'G'), 'Grok2API'),
      navLinks(active, items),
      actions(),
      menuBtn,
    ),
    drawer,
  );
}

export function pageHead(title, sub, ...actions) {
  document.title = `${title} · Grok2API`;
  return h('div', { class: 'page-head' }, h('div', null, h('h1', null, title), sub ? h('p', { class: 'sub' }, sub) : null), actions.length ? h('div', { class: 'row' }, actions) : null);
}

// Entry point for admin pages: session check, frame, then render(main, session).
export async function adminPage(active, render) {
  const main = document.getElementById('main');
  let s;
  try {
    s = await session();
  } catch (err) {
    mount(main, h('div', { class: 'alert', role: 'alert' }, errorText(err)));
    return;
  }
  if (!s) return location.replace(loginUrl());
  if (s.must_change_password) return location.replace(loginUrl('&change=1'));
  renderHeader({ active, user: s.username });
  try {
    await render(main, s);
  } catch (err) {
    main.append(h('div', { class: 'alert', role: 'alert' }, errorText(err)));
  }
}
