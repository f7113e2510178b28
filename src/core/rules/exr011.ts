import type { Finding, Span } from '../diagnostics';
import { uniqueStepId } from '../edits';
import { serverKey, type Step } from '../model/types';
import type { SemanticRule } from './rule';

/** EXR011: two steps share an id, or two servers share a name (names compare case-insensitively). */
export const exr011: SemanticRule = {
  code: 'EXR011',
  defaultSeverity: 'error',
  title: 'Duplicate step id or server name',
  facts: [],
  blocksSimulation: true,
  explanation:
    'Step ids name steps in results, suppressions and the simulator; server names identify servers. ' +
    'Each must be unique (server names case-insensitively).',
  fixes({ analysis, diagnostic, step }) {
    // Only the repeated step id can be renamed safely; a repeated server name needs a person to choose.
    if (!step?.id || diagnostic.span.start !== step.id.span.start) return [];
    const id = uniqueStepId(analysis.runbook, step.id.value);
    return [{ title: `Rename this step to ${id}`, edits: [{ span: step.id.span, newText: id }], isPreferred: true }];
  },
  check(context) {
    const findings: Finding[] = [];
    const firstServer = new Map<string, Span>();
    for (const server of context.runbook.servers) {
      if (!server.name) continue;
      const key = serverKey(server.name.value);
      const first = firstServer.get(key);
      if (!first) {
        firstServer.set(key, server.name.span);
        continue;
      }
      findings.push({
        code: 'EXR011',
        span: server.name.span,
        message:
          `Server ${server.name.value} is declared twice (Windows computer names ignore ` +
          `case); steps would not know which declaration to use. Remove or rename one.`,
        related: [{ message: 'first declared here', span: first }],
        data: { server: server.name.value },
      });
    }
    // Every step whose id an earlier step uses, in step order.
    const repeated = context.repeatedIds ?? repeatedStepIds(context.runbook.steps);
    const later: Step[] = [];
    for (const steps of repeated.values()) for (let i = 1; i < steps.length; i++) later.push(steps[i]);
    later.sort((a, b) => a.index - b.index);
    for (const step of later) {
      const first = repeated.get(step.id!.value)![0].id!.span;
      findings.push({
        code: 'EXR011',
        span: step.id!.span,
        message:
          `Step id \`${step.id!.value}\` is used by an earlier step too; step ids must be ` +
          `unique so results and suppressions name one step.`,
        related: [{ message: 'first used here', span: first }],
        data: { stepIndex: step.index },
      });
    }
    return findings;
  },
};

/** The step ids used by more than one step, each with its steps in order. */
export function repeatedStepIds(steps: readonly Step[]): Map<string, Step[]> {
  const byId = new Map<string, Step[]>();
  for (const step of steps) {
    if (!step.id) continue;
    const list = byId.get(step.id.value);
    if (list) list.push(step);
    else byId.set(step.id.value, [step]);
  }
  for (const [id, list] of byId) if (list.length < 2) byId.delete(id);
  return byId;
}
