import type { Finding } from '../diagnostics';
import { insertServicePackStepBefore } from '../edits';
import { exchangeLabel, KB924567, KNOWN_KBS } from '../model/facts';
import { serverKey } from '../model/types';
import { byStep, declaredName, stepLabel, type SemanticRule } from './rule';

/** EXR002: KB924567 needs Exchange Server 2003 SP2 (F7). */
export const exr002: SemanticRule = {
  code: 'EXR002',
  defaultSeverity: 'error',
  title: 'KB924567 installed on a server that is not Exchange 2003 SP2',
  facts: ['F7'],
  explanation:
    'KB924567 requires Exchange Server 2003 Service Pack 2; on any other version or service pack it ' +
    'does not install. Fix: install SP2 first (an install-service-pack step before the hotfix).',
  fixes({ analysis, step, server, states }) {
    const state = step && server !== undefined ? states?.before[step.index]?.get(serverKey(server)) : undefined;
    // A service pack only helps an Exchange 2003 server; other versions cannot take this hotfix at all.
    if (!step || server === undefined || state?.exchange !== 2003) return [];
    return [
      {
        title: 'Insert install-service-pack 2 before the hotfix',
        edits: insertServicePackStepBefore(analysis.parsed.text, analysis.runbook, step.index, server, 2),
        isPreferred: true,
      },
    ];
  },
  ...byStep((context, step) => {
    const findings: Finding[] = [];
    const index = step.index;
    {
      if (step.action?.value !== 'install-hotfix' || !step.server || step.hotfix?.value.toUpperCase() !== KB924567) return findings;
      const key = serverKey(step.server.value);
      const state = context.states.before[index].get(key);
      const prerequisite = KNOWN_KBS[KB924567].prerequisite!;
      if (!state || prerequisite.isMet(state)) return findings;
      const server = declaredName(context, key, step.server.value);
      const now =
        state.exchange === undefined
          ? 'of an unknown Exchange version'
          : exchangeLabel(state.exchange, state.exchange === 2003 ? state.servicePack : undefined);
      const remedy =
        state.exchange === 2003 ? ` Install Service Pack 2 on ${server} before this step.` : ' This hotfix is only for Exchange 2003 SP2.';
      findings.push({
        code: 'EXR002',
        span: step.hotfix!.span,
        message:
          `Step ${stepLabel(step)} installs KB924567 on ${server}, which is ${now} at that ` +
          `step; the hotfix requires ${prerequisite.text} and will not install.${remedy}`,
        data: { server, stepIndex: index, exchange: state.exchange, servicePack: state.servicePack },
      });
    }
    return findings;
  }),
};
