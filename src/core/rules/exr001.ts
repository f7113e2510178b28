import type { Finding } from '../diagnostics';
import { formatCount } from '../format/numbers';
import { FLUSH_TIMEOUT_MINUTES, KB924567 } from '../model/facts';
import { flushBehaviour } from '../model/state';
import { serverKey } from '../model/types';
import { declaredName, stepLabel, type SemanticRule } from './rule';

/** EXR001: moving mailboxes off an Exchange 2003 SP2 server with a disabled MTA and no KB924567. */
export const exr001: SemanticRule = {
  code: 'EXR001',
  defaultSeverity: 'error',
  title: 'Mailbox move from an Exchange 2003 SP2 server with a disabled MTA and no KB924567',
  facts: ['F1', 'F2', 'F3', 'F4', 'F5', 'F9'],
  explanation:
    'Moving mailboxes off an Exchange 2003 SP2 server whose MTA is disabled (service stopped or ' +
    'disabled, or Gateway Out Threads 0) makes the Information Store register a transit-mail ' +
    'flush per moved mailbox. The flush needs the MTA; with the MTA off it waits 150 minutes ' +
    'before timing out, holding a store task thread all that time. Threads run out: mail stays ' +
    'in the local delivery queue, Outlook Web Access stops responding, the SMTP service hangs ' +
    '(KB924567). Fix: install KB924567 and set Gateway Out Threads to 0 before the move, or run the MTA.',
  check(context) {
    const findings: Finding[] = [];
    context.runbook.steps.forEach((step, index) => {
      if (step.action?.value !== 'move-mailboxes' || !step.from) return;
      const key = serverKey(step.from.value);
      const state = context.states.before[index].get(key);
      if (!state || state.hotfixes.has(KB924567) || flushBehaviour(state) !== 'hold') return;
      const server = declaredName(context, key, step.from.value);
      const count = step.mailboxes?.value.count;
      const flushMinutes = context.runbook.simulation.flushTimeout?.value ?? FLUSH_TIMEOUT_MINUTES;
      const how =
        state.mtaService !== 'running' ? `its MTA service is ${state.mtaService}` : 'Gateway Out Threads is 0 (the MTA is disabled)';
      const mailboxes = count === undefined ? 'every mailbox' : `each of the ${formatCount(count)} mailbox${count === 1 ? '' : 'es'}`;
      findings.push({
        code: 'EXR001',
        span: step.from.span,
        message:
          `Step ${stepLabel(step)} moves mailboxes off ${server}, an Exchange 2003 SP2 server whose ` +
          `${how.replace(/^its /, '')}, without KB924567: ` +
          `${mailboxes} will leave a transit-mail flush holding a store task thread for ~${Math.round(flushMinutes)} minutes. ` +
          `The store runs out of task threads; mail sits in the local delivery queue, Outlook Web ` +
          `Access stops responding and the SMTP service hangs. ` +
          `Install KB924567 (with Gateway Out Threads 0) on ${server} before this step.`,
        data: { server, stepIndex: index, count },
      });
    });
    return findings;
  },
};
