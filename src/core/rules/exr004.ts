import type { Finding } from '../diagnostics';
import { KB924567 } from '../model/facts';
import { isExchange2003Sp2 } from '../model/state';
import { serverKey } from '../model/types';
import { declaredName, stepLabel, type SemanticRule } from './rule';

/** EXR004: the hotfix is in, the MTA is stopped/disabled, but Gateway Out Threads is not 0 (F9, F10). */
export const exr004: SemanticRule = {
  code: 'EXR004',
  defaultSeverity: 'error',
  title: 'KB924567 installed but Gateway Out Threads is not 0',
  facts: ['F9', 'F10'],
  explanation:
    'After KB924567 the store recognises a disabled MTA only by the registry value Gateway Out ' +
    'Threads = 0 (KB810489). With the MTA service stopped or disabled but Gateway Out Threads ' +
    'left at another value, every moved mailbox still registers a transit-mail flush that holds ' +
    'a store thread for 150 minutes. Fix: set Gateway Out Threads to 0.',
  check(context) {
    const findings: Finding[] = [];
    context.runbook.steps.forEach((step, index) => {
      if (step.action?.value !== 'move-mailboxes' || !step.from) return;
      const key = serverKey(step.from.value);
      const state = context.states.before[index].get(key);
      if (!state || !isExchange2003Sp2(state) || !state.hotfixes.has(KB924567)) return;
      if (state.mtaService === 'running' || state.gatewayOutThreads === 0) return;
      const server = declaredName(context, key, step.from.value);
      findings.push({
        code: 'EXR004',
        span: step.from.span,
        message:
          `${server} has KB924567 and its MTA service is ${state.mtaService}, but Gateway Out ` +
          `Threads is ${state.gatewayOutThreads}, not 0: ` +
          `the fixed store recognises a disabled MTA only by Gateway Out Threads = 0 (KB810489), so ` +
          `step ${stepLabel(step)} still registers a transit-mail flush per mailbox, each holding a ` +
          `store thread for ~150 minutes. Set Gateway Out Threads to 0 on ${server} before this move.`,
        data: { server, stepIndex: index },
      });
    });
    return findings;
  },
};
