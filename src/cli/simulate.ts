/**
 * Plain-text reports of a simulation for `exrunbook simulate`: per-server summaries with a small
 * Unicode chart, and a what-if beside the plain run. No colours: it must read well in a CI log.
 */
import { formatCount } from '../core/format/numbers';
import { formatClock, formatMinutes } from '../core/format/duration';
import type { Runbook } from '../core/model/types';
import { MAX_SERIES_POINTS } from '../core/simulator/budget';
import { exhaustionCause } from '../core/rules/exr005';
import { formatMoment, queueThresholdWords, stretchedSteps, stretchSentence } from '../core/simulator/moments';
import type { ServerSeries, ServerSummary, SimulationResult } from '../core/simulator/result';

const CHART_WIDTH = 60;
const CHART_ROWS = 6;
const SPARK_WIDTH = 24;
/** Eighths of a character cell, empty to full. */
const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export function formatSimulation(result: SimulationResult, runbook: Runbook): string {
  const lines: string[] = [];
  const title = runbook.name?.value ? `Simulation of "${runbook.name.value}"` : 'Simulation';
  lines.push(title);
  const start = result.clockOrigin !== null ? `, from ${formatClock(result.clockOrigin)}` : '';
  lines.push(`  ${formatMinutes(result.duration)} simulated${start}; seed ${result.seed}; ${formatCount(result.events)} events`);
  if (result.assumptions.assumed.length > 0)
    lines.push(
      `  assumed (not given by the runbook): ${result.assumptions.assumed.map((key) => describeAssumption(result, key)).join(', ')}`,
    );
  lines.push(...samplingNotes(result));
  lines.push('');

  if (result.steps.length > 0) {
    lines.push('Steps');
    const idWidth = largest(
      result.steps.map((step) => step.id.length),
      0,
    );
    const actionWidth = largest(
      result.steps.map((step) => step.action.length),
      0,
    );
    for (const step of result.steps) {
      const span = `${when(result, step.start)} → ${when(result, step.end)}`;
      const note = step.completed ? formatMinutes(step.end - step.start) : 'not finished when the run ended';
      lines.push(`  ${step.id.padEnd(idWidth)}  ${step.action.padEnd(actionWidth)}  ${span}  (${note})`);
    }
    // A step the load stretched is pointed out, as the panel does (moments.ts).
    for (const entry of stretchedSteps(result)) lines.push(`  ${stretchSentence(entry)}: slowed by the load`);
    lines.push('');
  }

  for (const { summary, series } of Object.values(result.servers)) {
    lines.push(`${summary.server}: ${summary.threadPool} store task threads`);
    const rows: [string, string][] = [
      ['threads ran out', exhaustionText(result, summary)],
      ['peak threads busy', `${summary.peakThreadsBusy} of ${summary.threadPool}`],
      ['local delivery', deliveryText(summary)],
      [
        `queue over ${formatCount(summary.localQueueOverThreshold.threshold)}`,
        queueThresholdWords(result, summary.localQueueOverThreshold),
      ],
      ['OWA', owaText(summary)],
      [
        'transit-mail flushes',
        `${formatCount(summary.flushTasksRegistered)} registered, ${formatCount(Math.round(summary.flushThreadMinutes))} thread-minutes`,
      ],
    ];
    const labelWidth = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value] of rows) lines.push(`  ${label.padEnd(labelWidth)}  ${value}`);
    lines.push(...threadChart(result, summary, series));
    lines.push('');
  }
  lines.push(...idleLines(result));
  return lines.join('\n');
}

export function formatWhatIf(plain: SimulationResult, alternative: SimulationResult, runbook: Runbook, label: string): string {
  const lines: string[] = [];
  lines.push(runbook.name?.value ? `What if, for "${runbook.name.value}": ${label}` : `What if: ${label}`);
  lines.push(`  seed ${plain.seed}; as written ${formatCount(plain.events)} events, what-if ${formatCount(alternative.events)} events`);
  lines.push('');
  const headers = ['', 'as written', 'what-if'];
  for (const [name, { summary, series }] of Object.entries(plain.servers)) {
    const other = alternative.servers[name];
    const pair = (format: (result: SimulationResult, summary: ServerSummary, series: ServerSeries) => string): [string, string] => [
      format(plain, summary, series),
      other ? format(alternative, other.summary, other.series) : 'not simulated',
    ];
    const rows: [string, string, string][] = [
      ['threads ran out', ...pair((result, s) => exhaustionText(result, s, true))],
      ['peak threads busy', ...pair((_, s) => `${s.peakThreadsBusy} of ${s.threadPool}`)],
      ['worst delivery queue', ...pair((_, s) => `${formatCount(s.maxLocalDeliveryQueue)} messages`)],
      [
        `queue over ${formatCount(summary.localQueueOverThreshold.threshold)}`,
        ...pair((result, s) => queueThresholdWords(result, s.localQueueOverThreshold)),
      ],
      ['delivery delay p95', ...pair((_, s) => (s.deliveriesArrived === 0 ? 'no load' : seconds(s.p95DeliveryDelaySeconds)))],
      [
        'OWA unanswered',
        ...pair((_, s) => (s.owaRequests === 0 ? 'no load' : `${formatCount(s.owaUnanswered)} of ${formatCount(s.owaRequests)}`)),
      ],
      [
        'flush thread-minutes',
        ...pair((_, s) => `${formatCount(Math.round(s.flushThreadMinutes))} (${formatCount(s.flushTasksRegistered)} flushes)`),
      ],
      ['threads busy', ...pair((_, s, sr) => sparkline(busySeries(sr), Math.max(1, s.threadPool), SPARK_WIDTH))],
    ];
    const table = [
      [`${summary.server}: ${summary.threadPool} threads`, headers[1], headers[2]],
      ...rows.map(([a, b, c]) => [`  ${a}`, b, c]),
    ];
    lines.push(...columns(table));
    lines.push('');
  }
  const lastEnd = (result: SimulationResult): string => {
    const moves = result.steps.filter((step) => step.action === 'move-mailboxes');
    if (moves.length === 0) return 'no moves';
    if (moves.some((step) => !step.completed)) return 'not finished';
    return when(
      result,
      largest(
        moves.map((step) => step.end),
        -Infinity,
      ),
    );
  };
  lines.push(...columns([['last move ends', lastEnd(plain), lastEnd(alternative)]]));
  lines.push('');
  lines.push(...idleLines(plain));
  return lines.join('\n');
}

// ---------------------------------------------------------------- pieces

/** At most this many idle servers are named one by one. */
const IDLE_LISTED = 10;

/** The servers the run modelled no store for (no load, no step names them), in one paragraph. */
function idleLines(result: SimulationResult): string[] {
  const idle = result.idleServers ?? [];
  if (idle.length === 0) return [];
  const count = idle.length === 1 ? '1 server' : `${formatCount(idle.length)} servers`;
  const names = idle.slice(0, IDLE_LISTED).join(', ');
  const more = idle.length > IDLE_LISTED ? ` and ${formatCount(idle.length - IDLE_LISTED)} more` : '';
  return [`Idle: ${count} with no load that no step names, so nothing happens on their stores (not simulated): ${names}${more}`, ''];
}

/** At most this many skipped stretches are listed one by one. */
const SKIPPED_LISTED = 5;

/** What the run did not simulate in full: a widened sample interval, skipped quiet stretches. */
function samplingNotes(result: SimulationResult): string[] {
  const lines: string[] = [];
  if (result.sampleIntervalWidenedFrom !== null) {
    const servers = Object.keys(result.servers).length;
    lines.push(
      `  a sample every ${formatMinutes(result.sampleInterval)} (widened from ${formatMinutes(result.sampleIntervalWidenedFrom)}: ` +
        `the series of ${formatCount(servers)} ${servers === 1 ? 'server' : 'servers'} stay within ${formatCount(MAX_SERIES_POINTS)} samples)`,
    );
  }
  const at = (minutes: number) =>
    result.clockOrigin !== null ? formatClock(result.clockOrigin + minutes * 60000) : `+${formatMinutes(minutes)}`;
  for (const { start, end } of result.skipped.slice(0, SKIPPED_LISTED)) {
    lines.push(`  skipped ${formatMinutes(end - start)} of quiet (no step running, no flush held): ${at(start)} → ${at(end)}`);
  }
  if (result.skipped.length > SKIPPED_LISTED)
    lines.push(`  … and ${formatCount(result.skipped.length - SKIPPED_LISTED)} more quiet stretches skipped`);
  return lines;
}

/**
 * "23:15 UTC, 1 h 15 m into wave1: 36 of 40 threads are held by transit-mail flushes": the moment
 * as CodeLens and the panel tell it (moments.ts), the cause in EXR005's words.
 */
function exhaustionText(result: SimulationResult, summary: ServerSummary, short = false): string {
  if (summary.exhaustedAt === null) return 'never';
  const record = summary.exhaustions.find((candidate) => candidate.at === summary.exhaustedAt);
  const moment = formatMoment(result, summary.exhaustedAt, { index: record?.stepIndex, id: record?.step ?? summary.exhaustedDuringStep });
  if (short || !record) return moment;
  return `${moment}: ${exhaustionCause(record, (id) => id)}`;
}

function deliveryText(summary: ServerSummary): string {
  if (summary.deliveriesArrived === 0) return 'no load';
  const delay = `p95 ${seconds(summary.p95DeliveryDelaySeconds)}, mean ${seconds(summary.meanDeliveryDelaySeconds)}`;
  return `worst queue ${formatCount(summary.maxLocalDeliveryQueue)} messages; delay ${delay} (waiting ${seconds(summary.meanDeliveryWaitSeconds)})`;
}

function owaText(summary: ServerSummary): string {
  if (summary.owaRequests === 0) return 'no load';
  const share = ((summary.owaUnanswered / summary.owaRequests) * 100).toFixed(1);
  return `${formatCount(summary.owaUnanswered)} of ${formatCount(summary.owaRequests)} requests unanswered (${share} %)`;
}

/** "2026-12-05 23:15 UTC (+1 h 15 m)" with a clock, else "+1 h 15 m". */
function when(result: SimulationResult, minutes: number): string {
  const offset = `+${formatMinutes(minutes)}`;
  return result.clockOrigin !== null ? `${formatClock(result.clockOrigin + minutes * 60000)} (${offset})` : offset;
}

function seconds(value: number): string {
  if (value < 10) return `${value.toFixed(2)} s`;
  if (value < 60) return `${value.toFixed(1)} s`;
  if (value < 3600) return `${Math.floor(value / 60)} m ${Math.round(value % 60)} s`;
  return formatMinutes(value / 60);
}

function describeAssumption(result: SimulationResult, key: string): string {
  const value = (result.assumptions.values as unknown as Record<string, number>)[key];
  return `${key} ${formatCount(value)}`;
}

function busySeries(series: ServerSeries): number[] {
  return series.t.map((_, i) => series.delivery[i] + series.owa[i] + series.move[i] + series.flush[i]);
}

/** The highest value in each of `width` consecutive buckets (peaks must stay visible). */
function bucketMax(values: number[], width: number): number[] {
  if (values.length <= width) return values.slice();
  const out: number[] = [];
  for (let column = 0; column < width; column++) {
    const from = Math.floor((column * values.length) / width);
    const to = Math.max(from + 1, Math.floor(((column + 1) * values.length) / width));
    let peak = -Infinity;
    for (let i = from; i < to; i++) if (values[i] > peak) peak = values[i];
    out.push(peak);
  }
  return out;
}

function sparkline(values: number[], scale: number, width: number): string {
  if (values.length === 0) return '';
  return bucketMax(values, width)
    .map((value) => BLOCKS[Math.max(value > 0 ? 1 : 0, Math.min(8, Math.round((value / scale) * 8)))])
    .join('');
}

function threadChart(result: SimulationResult, summary: ServerSummary, series: ServerSeries): string[] {
  if (series.t.length < 2) return [];
  const pool = Math.max(1, summary.threadPool, largest(series.pool, 0));
  const busy = bucketMax(busySeries(series), CHART_WIDTH);
  const flush = bucketMax(series.flush, CHART_WIDTH);
  const queue = bucketMax(series.deliveryQueue, CHART_WIDTH);
  // Skipped quiet stretches hold no samples: then the columns cover simulated time only, and say so.
  const skips = result.skipped.length > 0;
  const span = skips ? series.t.length * result.sampleInterval : series.t[series.t.length - 1] - series.t[0];
  const minutesPerColumn = span / busy.length;
  const perColumn = `each column ≈ ${formatMinutes(Math.max(1, minutesPerColumn))}${skips ? ' of simulated time' : ''}, its peak`;
  const lines = [`  threads busy over time (top = the pool of ${pool}; ${perColumn})`];
  const labelWidth = String(pool).length;
  for (let row = CHART_ROWS - 1; row >= 0; row--) {
    const cells = busy.map((value) => BLOCKS[Math.max(0, Math.min(8, Math.round((value / pool) * CHART_ROWS * 8) - row * 8))]).join('');
    const label = row === CHART_ROWS - 1 ? String(pool) : row === 0 ? '0' : '';
    lines.push(`  ${label.padStart(labelWidth)} ┤${cells}`.trimEnd());
  }
  const axis = `  ${' '.repeat(labelWidth)} └${'─'.repeat(busy.length)}`;
  lines.push(axis);
  const startLabel = `+${formatMinutes(series.t[0])}`;
  const middle = skips ? series.t[Math.floor(series.t.length / 2)] : (series.t[0] + series.t[series.t.length - 1]) / 2;
  const middleLabel = `+${formatMinutes(middle)}`;
  const endLabel = `+${formatMinutes(series.t[series.t.length - 1])}`;
  const half = Math.floor(busy.length / 2);
  const leftGap = Math.max(1, half - startLabel.length - Math.floor(middleLabel.length / 2));
  const rightGap = Math.max(1, busy.length - startLabel.length - leftGap - middleLabel.length - endLabel.length);
  lines.push(`  ${' '.repeat(labelWidth)}  ${startLabel}${' '.repeat(leftGap)}${middleLabel}${' '.repeat(rightGap)}${endLabel}`);
  const maxQueue = Math.max(0, ...queue);
  if (Math.max(0, ...flush) > 0)
    lines.push(`  ${'flush'.padStart(labelWidth)}  ${sparkline(flush, pool, CHART_WIDTH)}  transit-mail flushes (same scale)`);
  if (maxQueue > 0)
    lines.push(
      `  ${'queue'.padStart(labelWidth)}  ${sparkline(queue, maxQueue, CHART_WIDTH)}  local ` +
        `delivery queue (top = ${formatCount(maxQueue)})`,
    );
  return lines;
}

/** The largest value, or `floor` for none; a loop because Math.max(...spread) overflows the stack past ~100,000 values (steps, samples). */
function largest(values: readonly number[], floor: number): number {
  let max = floor;
  for (const value of values) if (value > max) max = value;
  return max;
}

function columns(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => [...row[column]].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(widths[column] - [...cell].length)))
      .join('   ')
      .trimEnd(),
  );
}
