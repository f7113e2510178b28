/**
 * The one way this page makes elements. Text always goes in through textContent, so a server
 * named `<img src=x onerror=…>` is shown as those characters and never becomes markup.
 */

type Attributes = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on')) throw new Error('event handlers are added with addEventListener, never as attributes');
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** A codicon (dist/webview/codicon.css), hidden from screen readers: the button beside it has the words. */
export function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

export function button(
  label: string,
  options: { icon?: string; title?: string; secondary?: boolean; id?: string } = {},
): HTMLButtonElement {
  return el(
    'button',
    { type: 'button', class: options.secondary ? 'secondary' : undefined, title: options.title, id: options.id },
    options.icon ? icon(options.icon) : null,
    el('span', {}, label),
  );
}

export function clear(element: Element): void {
  element.replaceChildren();
}
