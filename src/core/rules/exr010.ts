import type { Finding } from '../diagnostics';
import { closestMatches, listInWords } from '../format/words';
import { databaseKey, databaseNamed } from '../model/databases';
import { serverKey, type Field, type Step } from '../model/types';
import { byStep, stepLabel, type RuleContext, type SemanticRule } from './rule';

/** A database a step names (fromDatabase, toDatabase, set-database's database) that its server does not have at that step. */
function unknownDatabases(context: RuleContext, step: Step): Finding[] {
  const named: [Field<string> | undefined, Field<string> | undefined][] = [
    [step.fromDatabase, step.from],
    [step.toDatabase, step.to],
    [step.action?.value === 'set-database' ? step.database : undefined, step.server],
  ];
  const findings: Finding[] = [];
  for (const [database, server] of named) {
    if (!database || !server) continue;
    const state = context.states.before[step.index]?.get(serverKey(server.value));
    if (!state || databaseNamed(state, database.value)) continue; // an undeclared server is reported above
    const names = [...(state.databases?.values() ?? [])].map((db) => db.name);
    const suggestions = closestMatches(database.value, names, databaseKey);
    const hint =
      suggestions.length > 0
        ? `; did you mean ${listInWords(suggestions, 'or')}?`
        : names.length > 0
          ? ` (it has: ${names.join(', ')}).`
          : ': it declares no databases under `storageGroups` and no step before creates one.';
    findings.push({
      code: 'EXR010',
      span: database.span,
      message: `Step ${stepLabel(step)} names database ${database.value}, which ${state.name} does not have at this step${hint}`,
      data: { server: state.name, stepIndex: step.index, suggestions, database: true },
    });
  }
  return findings;
}

/** EXR010: a step names a server that is not declared under `servers`, or a database its server does not have at that step. */
export const exr010: SemanticRule = {
  code: 'EXR010',
  defaultSeverity: 'error',
  title: 'Step names an undeclared server or database',
  facts: [],
  explanation:
    'Every server a step names (`server`, `from`, `to`) must be declared under `servers`; names ' +
    'compare case-insensitively, as Windows compares computer names. A database a step names ' +
    '(`fromDatabase`, `toDatabase`, `set-database`) must be one its server has at that step: declared ' +
    'under its `storageGroups` or created by an earlier step.',
  blocksSimulation: true,
  fixes({ diagnostic }) {
    const suggestions = Array.isArray(diagnostic.data?.suggestions) ? (diagnostic.data.suggestions as string[]) : [];
    return suggestions.map((suggestion) => ({
      title: diagnostic.data?.database === true ? `Change to the database ${suggestion}` : `Change to the declared server ${suggestion}`,
      edits: [{ span: diagnostic.span, newText: suggestion }],
      // With several equally close names, the engineer chooses.
      isPreferred: suggestions.length === 1,
    }));
  },
  ...byStep((context, step) => {
    const findings: Finding[] = [];
    {
      const fields = [step.server, step.from, step.to];
      for (const field of fields) {
        if (!field || context.declared.has(serverKey(field.value))) continue;
        const names = [...context.declared.values()].map((server) => server.name!.value);
        // The step's other server is never the answer: a move from a server to itself is EXR012.
        const others = new Set(fields.filter((other) => other && other !== field).map((other) => serverKey(other!.value)));
        const candidates = names.filter((name) => !others.has(serverKey(name)));
        const suggestions = closestMatches(field.value, candidates, serverKey);
        const hint =
          suggestions.length > 0
            ? `; did you mean ${listInWords(suggestions, 'or')}?`
            : names.length > 0
              ? ` (declared: ${names.join(', ')}).`
              : '.';
        findings.push({
          code: 'EXR010',
          span: field.span,
          message: `Step ${stepLabel(step)} names server ${field.value}, which is not declared under \`servers\`${hint}`,
          data: { server: field.value, stepIndex: step.index, suggestions },
        });
      }
      for (const finding of unknownDatabases(context, step)) findings.push(finding);
    }
    return findings;
  }),
};
