import type { Finding } from '../diagnostics';
import { serverKey } from '../model/types';
import { stepLabel, type SemanticRule } from './rule';

/** EXR012: a move's source and target are the same server. */
export const exr012: SemanticRule = {
  code: 'EXR012',
  defaultSeverity: 'error',
  title: 'Move from a server to itself',
  facts: [],
  blocksSimulation: true,
  explanation: 'A move needs a different source and target server.',
  check(context) {
    const findings: Finding[] = [];
    for (const step of context.runbook.steps) {
      if (step.action?.value !== 'move-mailboxes' || !step.from || !step.to) continue;
      if (serverKey(step.from.value) !== serverKey(step.to.value)) continue;
      findings.push({
        code: 'EXR012',
        span: step.to.span,
        message:
          `Step ${stepLabel(step)} moves mailboxes from ${step.from.value} to ` +
          `${step.to.value}, the same server; \`to\` must name another server.`,
        related: [{ message: '`from` is here', span: step.from.span }],
        data: { server: step.from.value, stepIndex: step.index },
      });
    }
    return findings;
  },
};
