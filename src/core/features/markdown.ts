/** Markdown for hovers. Text from the runbook goes through `escapeMarkdown`: a server name cannot inject links, HTML or formatting. */

/** Escapes every character Markdown or HTML could read as syntax. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&:"'=$]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '\\' + c))
    .replace(/\r?\n|\r/g, ' ');
}

/** Runbook text shown as inline code: backticks are removed (they would end the span) and the length is capped. */
export function inlineCode(text: string): string {
  const clean = text.replace(/[`\r\n]/g, ' ').slice(0, 80);
  return '`' + (clean.trim() === '' ? '\u00a0' : clean) + '`';
}
