import { expandSnippet, RUNBOOK_SKELETON } from '../snippets';
import type { RuleInfo } from './rule';

/** EXR100: the runbook breaks the schema (findings from format/schemaCheck.ts). */
export const exr100: RuleInfo = {
  code: 'EXR100',
  defaultSeverity: 'error',
  title: 'The runbook breaks the schema',
  facts: [],
  explanation:
    'A field has the wrong type or value, is unknown, or is missing ' +
    '(schemas/runbook.schema.json). One diagnostic per problem, on the exact node.',
  blocksSimulation: true,
  fixes({ diagnostic, analysis }) {
    // An empty file (comments at most): the skeleton, after the comments.
    const { text } = analysis.parsed;
    if (/^(\s*(#[^\n]*)?(\r?\n|$))*$/.test(text)) {
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const separator = text === '' || text.endsWith('\n') ? '' : eol;
      return [
        {
          title: 'Insert runbook skeleton',
          edits: [{ span: { start: text.length, end: text.length }, newText: separator + expandSnippet(RUNBOOK_SKELETON, eol) }],
          isPreferred: true,
        },
      ];
    }
    // An unknown field that is a typo of a field this mapping takes (and does not have yet) is renamed.
    const suggestion = diagnostic.data?.suggestedField;
    if (typeof suggestion !== 'string') return [];
    // The title says what changes: the key as typed (the diagnostic sits on it) and its new name.
    const typed = analysis.parsed.text.slice(diagnostic.span.start, diagnostic.span.end);
    const title = /^[A-Za-z][A-Za-z0-9]*$/.test(typed) ? `Rename \`${typed}\` to \`${suggestion}\`` : `Rename to \`${suggestion}\``;
    return [{ title, edits: [{ span: diagnostic.span, newText: suggestion }], isPreferred: true }];
  },
};
