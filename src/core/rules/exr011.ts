import type { Finding, Span } from '../diagnostics';
import { uniqueStepId } from '../edits';
import { serverKey } from '../model/types';
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
    const firstStep = new Map<string, Span>();
    for (const step of context.runbook.steps) {
      if (!step.id) continue;
      const first = firstStep.get(step.id.value);
      if (!first) {
        firstStep.set(step.id.value, step.id.span);
        continue;
      }
      findings.push({
        code: 'EXR011',
        span: step.id.span,
        message:
          `Step id \`${step.id.value}\` is used by an earlier step too; step ids must be ` +
          `unique so results and suppressions name one step.`,
        related: [{ message: 'first used here', span: first }],
        data: { stepIndex: step.index },
      });
    }
    return findings;
  },
};
