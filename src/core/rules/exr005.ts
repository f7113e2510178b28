import type { Finding } from '../diagnostics';
import { formatCount } from '../format/numbers';
import { listInWords } from '../format/words';
import type { Runbook } from '../model/types';
import { serverKey } from '../model/types';
import { formatMoment } from '../simulator/moments';
import type { ExhaustionRecord, SimulationResult } from '../simulator/result';
import type { RuleInfo } from './rule';

/** EXR005: the simulation predicts store task-thread exhaustion during a move (findings from a simulation result). */
export const exr005: RuleInfo = {
  code: 'EXR005',
  defaultSeverity: 'warning',
  plan: 'solves',
  title: 'Simulation predicts store task-thread exhaustion during a move',
  facts: ['F3', 'F4', 'F5', 'N1', 'N2', 'N3'],
  explanation:
    "The simulator runs the runbook against a model of each server's Information Store (task " +
    'threads, local delivery, OWA, moves and transit-mail flushes) and predicts that every store ' +
    'task thread is busy while work waits during a move step. Numbers no source gives (task ' +
    'threads, throughput, service times) are assumptions you can set.',
  fromSimulation: true,
};

/**
 * An EXR005 finding of the last simulation, kept while errors block a new one (`blocked` says
 * which): the prediction stays in view, marked as of an earlier version.
 */
export function staleExhaustionFinding(finding: Finding, blocked: string): Finding {
  return { ...finding, message: `Stale, from the last simulation (${blocked.replace(/\.$/, '')}). ${finding.message}` };
}

/**
 * What held the threads when they ran out, as the simulation measured it. `quote` marks a step id
 * (backticks in a diagnostic; the panel, which shows plain text, passes its own).
 */
export function exhaustionCause(record: ExhaustionRecord, quote: (id: string) => string = (id) => `\`${id}\``): string {
  if (record.flushThreads > 0) return `${record.flushThreads} of ${record.threadPool} threads are held by transit-mail flushes`;
  if (record.afterRestart) {
    const { step, waiting } = record.afterRestart;
    return (
      `all ${record.threadPool} threads are busy working off the ${formatCount(waiting)} request${waiting === 1 ? '' : 's'} ` +
      `that queued while step ${quote(step)} had the store down`
    );
  }
  const kinds: [number, string][] = [
    [record.busy.delivery, 'local delivery'],
    [record.busy.owa, 'OWA'],
    [record.busy.move, 'mailbox moves'],
  ];
  const named = kinds.filter(([count]) => count > 0).sort((a, b) => b[0] - a[0]);
  if (named.length === 0) return `all ${record.threadPool} threads are busy`;
  return `all ${record.threadPool} threads are busy: ${listInWords(named.map(([count, kind]) => `${formatCount(count)} with ${kind}`))}`;
}

/**
 * EXR005: for each server whose task threads run out while a move step from or to it runs,
 * one warning on that step's `from` (or `to`) value, naming what held the threads.
 */
export function exhaustionFindings(runbook: Runbook, result: SimulationResult): Finding[] {
  const findings: Finding[] = [];
  for (const { summary } of Object.values(result.servers)) {
    const key = serverKey(summary.server);
    const reported = new Set<number>();
    for (const record of summary.exhaustions) {
      if (record.stepIndex === null || reported.has(record.stepIndex)) continue;
      const step = runbook.steps[record.stepIndex];
      if (!step || step.action?.value !== 'move-mailboxes') continue;
      const isSource = step.from !== undefined && serverKey(step.from.value) === key;
      const isTarget = step.to !== undefined && serverKey(step.to.value) === key;
      const field = isSource ? step.from : isTarget ? step.to : undefined;
      if (!field) continue;
      reported.add(record.stepIndex);
      // Told as CodeLens and the panel tell it (simulator/moments.ts): "at 23:15 UTC, 1 h 15 m into wave1".
      const moment = formatMoment(result, record.at, { index: record.stepIndex, id: record.step ?? step.id?.value });
      const when = result.clockOrigin !== null ? `at ${moment}` : moment;
      findings.push({
        code: 'EXR005',
        span: { start: field.span.start, end: field.span.end },
        message:
          `The simulation predicts ${summary.server} runs out of store task threads ${when}: ` +
          `${exhaustionCause(record)}; mail waits in the ` +
          `local delivery queue and OWA stops answering.`,
        data: { server: summary.server, stepIndex: record.stepIndex, exhaustedAt: record.at },
      });
    }
  }
  return findings;
}
