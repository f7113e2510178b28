/**
 * The runbook snippets (snippets/exchange-runbook.json is their one home): completion offers them
 * where such an item may start, the empty-file quick fix inserts the skeleton with its defaults,
 * and the extension's "New runbook" command inserts the skeleton as a snippet.
 */
import snippetFile from '../../snippets/exchange-runbook.json';

export interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

export const SNIPPETS: readonly Snippet[] = Object.values(snippetFile as Record<string, Snippet>);

/** The whole-runbook skeleton, with comments. */
export const RUNBOOK_SKELETON: Snippet = SNIPPETS.find((snippet) => snippet.prefix === 'runbook')!;

/** A snippet's text as inserted when every placeholder keeps its default (a choice its first option). */
export function expandSnippet(snippet: Snippet, eol = '\n'): string {
  const values = new Map<string, string>();
  return snippet.body
    .join(eol)
    .replace(/\$\{(\d+):([^}]*)\}/g, (_, n: string, value: string) => (values.set(n, value), value))
    .replace(/\$\{(\d+)\|([^,|]*)[^}]*\|\}/g, (_, n: string, value: string) => (values.set(n, value), value))
    .replace(/\$\{(\d+)\}/g, (_, n: string) => values.get(n) ?? '')
    .replace(/\$0/g, '');
}
