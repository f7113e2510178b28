import type { Finding } from '../diagnostics';
import { hotfixNeedsGatewayOutThreadsZero, insertEnableMtaStepBefore, insertHotfixStepBefore } from '../edits';
import { formatCount } from '../format/numbers';
import { FLUSH_TIMEOUT_MINUTES, KB924567 } from '../model/facts';
import { exposedMove } from '../model/state';
import { serverKey } from '../model/types';
import { byStep, declaredName, stepLabel, type SemanticRule } from './rule';

/** EXR001: moving mailboxes off an Exchange 2003 SP2 server with a disabled MTA and no KB924567. */
export const exr001: SemanticRule = {
  code: 'EXR001',
  defaultSeverity: 'error',
  plan: 'solves',
  title: 'Mailbox move from an Exchange 2003 SP2 server with a disabled MTA and no KB924567',
  facts: ['F1', 'F2', 'F3', 'F4', 'F5', 'F9'],
  explanation:
    'Moving mailboxes off an Exchange 2003 SP2 server whose MTA is disabled (service stopped or ' +
    'disabled, or Gateway Out Threads 0) makes the Information Store register a transit-mail ' +
    'flush per moved mailbox. The flush needs the MTA; with the MTA off it waits 150 minutes ' +
    'before timing out, holding a store task thread all that time. Threads run out: mail stays ' +
    'in the local delivery queue, Outlook Web Access stops responding, the SMTP service hangs ' +
    '(KB924567). Fix: install KB924567 and set Gateway Out Threads to 0 before the move, or run the MTA.',
  fixes({ analysis, step, server, states }) {
    if (!step || server === undefined || !states) return [];
    const { text } = analysis.parsed;
    const { runbook } = analysis;
    const running = states.before[step.index]?.get(serverKey(server))?.mtaService === 'running';
    return [
      {
        // The title says everything the fix changes.
        title: hotfixNeedsGatewayOutThreadsZero(runbook, step.index, server, states)
          ? `Insert KB924567 install step on ${server}, then a set-mta step for Gateway Out Threads 0, before this move`
          : `Insert KB924567 install step on ${server} before this move`,
        edits: insertHotfixStepBefore(text, runbook, step.index, server, states),
        isPreferred: true,
      },
      {
        title: running
          ? `Set Gateway Out Threads to 1 on ${server} before this move (its MTA service runs)`
          : `Enable the MTA service on ${server} before this move`,
        edits: insertEnableMtaStepBefore(text, runbook, step.index, server, states),
      },
    ];
  },
  ...byStep((context, move) => {
    const findings: Finding[] = [];
    const exposed = exposedMove(move, context.states);
    if (exposed) {
      const { step, key, state } = exposed;
      // With the hotfix in, an exposed move is EXR004's (Gateway Out Threads not 0).
      if (state.hotfixes.has(KB924567)) return findings;
      const server = declaredName(context, key, step.from!.value);
      const count = step.mailboxes?.value.count;
      const flushMinutes = context.runbook.simulation.flushTimeout?.value ?? FLUSH_TIMEOUT_MINUTES;
      const mailboxes = count === undefined ? 'every mailbox' : `each of the ${formatCount(count)} mailbox${count === 1 ? '' : 'es'}`;
      const consequence =
        `${mailboxes} will leave a transit-mail flush holding a store task thread for ~${Math.round(flushMinutes)} minutes. ` +
        `The store runs out of task threads; mail sits in the local delivery queue, Outlook Web ` +
        `Access stops responding and the SMTP service hangs.`;
      // A running service with Gateway Out Threads 0 is still a disabled MTA (KB810489): say so, and give both ways out.
      const message =
        state.mtaService !== 'running'
          ? `Step ${stepLabel(step)} moves mailboxes off ${server}, an Exchange 2003 SP2 server whose MTA service is ` +
            `${state.mtaService}, without KB924567: ${consequence} ` +
            `Install KB924567 (with Gateway Out Threads 0) on ${server} before this step.`
          : `Step ${stepLabel(step)} moves mailboxes off ${server}, an Exchange 2003 SP2 server whose MTA service runs ` +
            `but whose Gateway Out Threads is 0, the sign of a disabled MTA (KB810489), without KB924567: ${consequence} ` +
            `Install KB924567 on ${server} before this step (Gateway Out Threads is already 0), or set Gateway Out ` +
            `Threads to a non-zero value so the running MTA takes the flushes.`;
      findings.push({ code: 'EXR001', span: step.from!.span, message, data: { server, stepIndex: step.index, count } });
    }
    return findings;
  }),
};
