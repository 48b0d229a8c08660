// DOM helpers for the dashboard's modules: every string goes in as text or as a property,
// never as HTML, so nothing from the status can become markup.

export const byId = (id) => document.getElementById(id);

/** An element with text and attributes set as data, and children appended. */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  if (props.text !== undefined) node.textContent = String(props.text);
  if (props.className) node.className = props.className;
  if (props.title) node.title = String(props.title);
  node.append(...children);
  return node;
}

export function setText(id, text, title) {
  const node = byId(id);
  node.textContent = String(text);
  if (title !== undefined) node.title = String(title);
}
