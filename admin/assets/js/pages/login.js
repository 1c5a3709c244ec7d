// /login: sign in, then (while the default password is in use) the forced password change,
// then on to the dashboard or the sanitised ?next= admin path.
import { h, mount, uid } from '../dom.js';
import { t } from '../i18n.js';
import { post, session, setCsrf, errorText, ApiError } from '../api.js';
import { prefButtons } from '../shell.js';

const params = new URLSearchParams(location.search);
const main = document.getElementById('main');
document.getElementById('topbar').remove();
main.className = 'auth-wrap';

function nextPath() {
  const n = params.get('next') || '';
  return /^\/admin(\/[a-z-]+)?\/?(\?[^#]*)?$/.test(n) ? n : '/admin';
}

function field(label, input, help) {
  const id = uid('in');
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, help ? h('p', { class: 'help' }, help) : null);
}

function shell(title, sub, ...content) {
  document.title = `${title} · Grok2API`;
  mount(
    main,
    h(
      'div',
      { class: 'auth-card' },
      h('div', { class: 'auth-top' }, prefButtons()),
      h('div', { class: 'card stack' }, h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'G'), 'Grok2API'), h('h1', null, title), sub ? h('p', { class: 'muted' }, sub) : null, ...content),
    ),
  );
}

function loginForm() {
  const user = h('input', { type: 'text', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('div', { class: 'alert', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn primary' }, t('login.submit'));
  const form = h('form', { class: 'stack', novalidate: true }, field(t('login.username'), user), field(t('login.password'), pass), error, submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    if (!user.value.trim() || !pass.value) {
      error.textContent = t('login.missing');
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    try {
      const res = await post('login', { username: user.value.trim(), password: pass.value }, { noRedirect: true });
      setCsrf(res.csrf_token);
      if (res.must_change_password) changeForm(res.username || user.value.trim(), pass.value);
      else location.replace(nextPath());
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        const secs = Number(err.retryAfter) || 0;
        error.textContent = t('err.too_many_attempts', { retry: secs ? Math.ceil(secs / 60) : '?' });
      } else if (err instanceof ApiError && err.status === 401) {
        error.textContent = t('err.invalid_credentials');
      } else {
        error.textContent = errorText(err);
      }
      error.hidden = false;
      pass.select();
    } finally {
      submit.disabled = false;
    }
  });
  shell(t('login.title'), t('login.sub'), form, h('p', { class: 'small' }, h('a', { href: '/chat' }, t('login.playground'))));
  user.focus();
}

function changeForm(username, knownPassword) {
  const current = h('input', { type: 'password', name: 'current_password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', name: 'new_password', autocomplete: 'new-password', required: true, minlength: '10' });
  const again = h('input', { type: 'password', name: 'confirm_password', autocomplete: 'new-password', required: true });
  const error = h('div', { class: 'alert', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn primary' }, t('pw.submit'));
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    knownPassword ? null : field(t('pw.current'), current),
    field(t('pw.new'), next, t('pw.rules')),
    field(t('pw.confirm'), again),
    error,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    const pw = next.value;
    let problem = null;
    if (pw.length < 10) problem = t('pw.too_short');
    else if (pw === username || pw.toLowerCase() === 'admin') problem = t('pw.too_obvious');
    else if (pw !== again.value) problem = t('pw.mismatch');
    else if (!knownPassword && !current.value) problem = t('pw.need_current');
    if (problem) {
      error.textContent = problem;
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    try {
      await post('password', { current_password: knownPassword || current.value, new_password: pw }, { noRedirect: true });
      await session().catch(() => null);
      location.replace(nextPath());
    } catch (err) {
      error.textContent = errorText(err);
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  shell(t('pw.title'), t('pw.sub'), h('div', { class: 'alert warn' }, t('pw.why')), form);
  (knownPassword ? next : current).focus();
}

(async () => {
  let s = null;
  try {
    s = await session();
  } catch {
    s = null;
  }
  if (s && s.must_change_password) changeForm(s.username, null);
  else if (s) location.replace(nextPath());
  else loginForm();
})();
