import type { Finding } from '../diagnostics';
import { formatMinutes } from '../format/duration';
import { KB924567 } from '../model/facts';
import { serverKey, type Step } from '../model/types';
import { declaredName, stepLabel, type SemanticRule } from './rule';

/** Steps that restart the Information Store on their server (F8, and restarts/reboots by definition). */
function restartsStore(step: Step): boolean {
  const action = step.action?.value;
  if (action === 'restart-services' || action === 'reboot') return true;
  return action === 'install-hotfix' && step.hotfix?.value.toUpperCase() === KB924567;
}

/** EXR003: a store restart scheduled while a move from or to that server is running (static schedule). */
export const exr003: SemanticRule = {
  code: 'EXR003',
  defaultSeverity: 'warning',
  title: 'Store restart while a mailbox move on that server is running',
  facts: ['F8'],
  explanation:
    'Installing KB924567 restarts the Information Store, Microsoft Search and IIS Admin services; restart-services and reboot steps restart the store too. A mailbox move from or to that server that is running at that moment is interrupted. The check uses the static schedule: step starts from `start`, durations from mailbox sizes, concurrency and throughput.',
  check(context) {
    const findings: Finding[] = [];
    const { steps } = context.runbook;
    const timings = context.schedule.steps;
    steps.forEach((step, index) => {
      if (!restartsStore(step) || !step.server) return;
      const key = serverKey(step.server.value);
      const at = timings[index].start;
      for (const move of steps) {
        if (move === step || move.action?.value !== 'move-mailboxes') continue;
        const involved = [move.from, move.to].some((field) => field && serverKey(field.value) === key);
        const window = timings[move.index];
        if (!involved || !(window.start <= at && at < window.end)) continue;
        const server = declaredName(context, key, step.server.value);
        const what = step.action?.value === 'install-hotfix' ? 'Installing KB924567 restarts the Information Store' : step.action?.value === 'reboot' ? 'The reboot restarts the Information Store' : 'Restarting these services interrupts the Information Store';
        findings.push({
          code: 'EXR003',
          span: (step.start ?? step.server).span,
          message: `${what} on ${server} ${formatMinutes(at - window.start)} into move ${stepLabel(move)}, which runs until ${formatMinutes(window.end - at)} later: the moves in flight are interrupted. Schedule step ${stepLabel(step)} before the move starts or after it ends.`,
          related: move.id ? [{ message: `move ${stepLabel(move)}`, span: move.id.span }] : undefined,
          data: { server, stepIndex: index, moveIndex: move.index },
        });
        break;
      }
    });
    return findings;
  },
};
