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
    // An unknown field that is a typo of a field this mapping takes (and does not have yet) is renamed.
    const suggestion = diagnostic.data?.suggestedField;
    if (typeof suggestion !== 'string') return [];
    // The title says what changes: the key as typed (the diagnostic sits on it) and its new name.
    const typed = analysis.parsed.text.slice(diagnostic.span.start, diagnostic.span.end);
    const title = /^[A-Za-z][A-Za-z0-9]*$/.test(typed) ? `Rename \`${typed}\` to \`${suggestion}\`` : `Rename to \`${suggestion}\``;
    return [{ title, edits: [{ span: diagnostic.span, newText: suggestion }], isPreferred: true }];
  },
};
