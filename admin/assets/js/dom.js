// DOM building without innerHTML: h(tag, props, ...children) creates elements; strings become
// text nodes, so anything that came from data is rendered as text, never parsed as HTML.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = String(v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'style') throw new Error('inline styles are not allowed (CSP); use classes or el.style');
      else if (k === 'value' || k === 'checked' || k === 'selected' || k === 'indeterminate') el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Replaces an element's children.
export function mount(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// Only http(s), same-origin paths and (for images) data:image URLs survive; anything else
// (javascript:, vbscript:, …) becomes null.
export function safeUrl(u, { allowData = false } = {}) {
  if (typeof u !== 'string' || !u) return null;
  const s = u.trim();
  if (allowData && /^data:image\/(png|jpe?g|webp|gif);base64,[a-z0-9+/=\s]+$/i.test(s)) return s;
  if (s.startsWith('/') && !s.startsWith('//')) return s;
  try {
    const url = new URL(s);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

let seq = 0;
export const uid = (p = 'f') => `${p}-${++seq}`;
