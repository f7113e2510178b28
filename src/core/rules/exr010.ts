import type { Finding } from '../diagnostics';
import { closestMatches, listInWords } from '../format/words';
import { serverKey } from '../model/types';
import { stepLabel, type SemanticRule } from './rule';

/** EXR010: a step names a server that is not declared under `servers`. */
export const exr010: SemanticRule = {
  code: 'EXR010',
  defaultSeverity: 'error',
  title: 'Step names an undeclared server',
  facts: [],
  explanation:
    'Every server a step names (`server`, `from`, `to`) must be declared under `servers`; names ' +
    'compare case-insensitively, as Windows compares computer names.',
  blocksSimulation: true,
  fixes({ diagnostic }) {
    const suggestions = Array.isArray(diagnostic.data?.suggestions) ? (diagnostic.data.suggestions as string[]) : [];
    return suggestions.map((suggestion) => ({
      title: `Change to the declared server ${suggestion}`,
      edits: [{ span: diagnostic.span, newText: suggestion }],
      // With several equally close names, the engineer chooses.
      isPreferred: suggestions.length === 1,
    }));
  },
  check(context) {
    const findings: Finding[] = [];
    const names = [...context.declared.values()].map((server) => server.name!.value);
    for (const step of context.runbook.steps) {
      const fields = [step.server, step.from, step.to];
      for (const field of fields) {
        if (!field || context.declared.has(serverKey(field.value))) continue;
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
    }
    return findings;
  },
};
