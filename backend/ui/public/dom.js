/**
 * The only way the UI builds DOM. Text always goes in as text nodes, never as markup: log lines carry
 * whatever anyone sent, and this keeps a hostile message a harmless string.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * `h('td', { class: 'msg', title: t, onclick: fn }, 'text', child)`: an element with attributes,
 * `on*` listeners and children (strings become text nodes; null and false are skipped).
 */
export function h(tag, props, ...children) {
  return build(document.createElement(tag), props, children);
}

/** The same for SVG elements. */
export function s(tag, props, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

function build(el, props, children) {
  if (props) {
    for (const [name, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
}

/** Removes every child of `el`. */
export function clear(el) {
  el.replaceChildren();
}

/** Replaces the children of `el` with `children`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
}
