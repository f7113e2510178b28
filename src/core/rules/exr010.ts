import type { Finding } from '../diagnostics';
import { serverKey } from '../model/types';
import { stepLabel, type SemanticRule } from './rule';

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The declared server name closest to `name`, when it is close enough to be a typo. */
export function closestServer(name: string, declared: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of declared) {
    const distance = editDistance(serverKey(name), serverKey(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** EXR010: a step names a server that is not declared under `servers`. */
export const exr010: SemanticRule = {
  code: 'EXR010',
  defaultSeverity: 'error',
  title: 'Step names an undeclared server',
  facts: [],
  explanation:
    'Every server a step names (`server`, `from`, `to`) must be declared under `servers`; names ' +
    'compare case-insensitively, as Windows compares computer names.',
  check(context) {
    const findings: Finding[] = [];
    const names = [...context.declared.values()].map((server) => server.name!.value);
    for (const step of context.runbook.steps) {
      for (const field of [step.server, step.from, step.to]) {
        if (!field || context.declared.has(serverKey(field.value))) continue;
        const suggestion = closestServer(field.value, names);
        const hint = suggestion ? `; did you mean ${suggestion}?` : names.length > 0 ? ` (declared: ${names.join(', ')}).` : '.';
        findings.push({
          code: 'EXR010',
          span: field.span,
          message: `Step ${stepLabel(step)} names server ${field.value}, which is not declared ` + `under \`servers\`${hint}`,
          data: { server: field.value, stepIndex: step.index, suggestion },
        });
      }
    }
    return findings;
  },
};
