// The not-found page for unknown static paths.
import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { renderHeader, pageHead } from '../shell.js';

renderHeader({ active: '', user: null, items: [['/chat', 'nav.playground'], ['/admin', 'nav.admin']] });
mount(document.getElementById('main'), pageHead(t('nf.title')), h('div', { class: 'card empty' }, h('strong', null, t('nf.text')), h('p', null, h('a', { href: '/admin' }, t('nf.admin')), ' · ', h('a', { href: '/chat' }, t('nf.playground')))));
