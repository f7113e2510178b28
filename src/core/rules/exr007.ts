import type { Finding } from '../diagnostics';
import { removeStep } from '../edits';
import { KB924567 } from '../model/facts';
import { serverKey } from '../model/types';
import { byStep, declaredName, stepLabel, type SemanticRule } from './rule';

/** EXR007: a reboot right after installing KB924567 on the same server; the hotfix needs none (F8). */
export const exr007: SemanticRule = {
  code: 'EXR007',
  defaultSeverity: 'information',
  title: 'Unneeded reboot after KB924567',
  facts: ['F8'],
  explanation:
    'KB924567 needs no reboot: applying it restarts the Information Store, Microsoft Search and IIS ' +
    'Admin services. A reboot right after it only lengthens the outage.',
  fixes({ analysis, step, states }) {
    if (!step || !states) return [];
    return [
      { title: 'Remove the unneeded reboot', edits: removeStep(analysis.parsed.text, analysis.runbook, step.index), isPreferred: true },
    ];
  },
  ...byStep((context, step) => {
    const findings: Finding[] = [];
    const index = step.index;
    {
      if (index === 0 || step.action?.value !== 'reboot' || !step.server) return findings;
      const previous = context.runbook.steps[index - 1];
      if (previous.action?.value !== 'install-hotfix' || previous.hotfix?.value.toUpperCase() !== KB924567 || !previous.server)
        return findings;
      const key = serverKey(step.server.value);
      if (serverKey(previous.server.value) !== key) return findings;
      const server = declaredName(context, key, step.server.value);
      findings.push({
        code: 'EXR007',
        span: step.action.span,
        message:
          `KB924567 needs no reboot: installing it (step ${stepLabel(previous)}) already ` +
          `restarts the Information Store, Microsoft Search and IIS Admin services on ${server}. Step ` +
          `${stepLabel(step)} can be removed to shorten the outage.`,
        data: { server, stepIndex: index },
      });
    }
    return findings;
  }),
};
