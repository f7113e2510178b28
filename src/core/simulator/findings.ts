import type { Finding } from '../diagnostics';
import { formatClock, formatMinutes, formatOffset } from '../format/duration';
import type { Runbook } from '../model/types';
import { serverKey } from '../model/types';
import type { SimulationResult } from './result';

/**
 * EXR005: for each server whose task threads run out while a move step from or to it runs,
 * one warning on that step's `from` (or `to`) value.
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
      const stepResult = result.steps[record.stepIndex];
      const intoStep = stepResult ? record.at - stepResult.start : record.at;
      const when = result.clockOrigin !== null ? formatClock(result.clockOrigin + record.at * 60000) : formatOffset(record.at);
      const stepName = record.step ?? step.id?.value ?? `step ${record.stepIndex + 1}`;
      const held =
        record.flushThreads > 0
          ? `${record.flushThreads} of ${record.threadPool} threads are held by transit-mail flushes`
          : `all ${record.threadPool} threads are busy with mailbox moves, local delivery and OWA`;
      findings.push({
        code: 'EXR005',
        span: { start: field.span.start, end: field.span.end },
        message:
          `The simulation predicts ${summary.server} runs out of store task threads at ` +
          `${when} (+${formatMinutes(intoStep)} into step \`${stepName}\`): ${held}; mail waits in the ` +
          `local delivery queue and OWA stops answering.`,
        data: { server: summary.server, stepIndex: record.stepIndex, exhaustedAt: record.at },
      });
    }
  }
  return findings;
}
