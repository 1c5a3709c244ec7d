// The landing page at /: what this is and where to go.
import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { renderHeader } from '../shell.js';

renderHeader({ active: '/', user: null, items: [['/chat', 'nav.playground'], ['/admin', 'nav.admin']] });
document.title = 'Grok2API';
const main = document.getElementById('main');
main.className = 'landing';
mount(
  main,
  h('h1', null, 'Grok2API'),
  h('p', null, t('landing.what')),
  h('div', { class: 'card stack' }, h('h2', null, t('landing.use')), h('p', null, t('landing.base')), h('code', { class: 'secret-box' }, `${location.origin}/v1`)),
  h('div', { class: 'row' }, h('a', { class: 'btn primary', href: '/login' }, t('landing.admin')), h('a', { class: 'btn', href: '/chat' }, t('landing.playground')), h('a', { class: 'btn ghost', href: '/health' }, t('landing.health'))),
);
