/** The result as files: CSV (one row per server per sample) and JSON (everything). Pure. */
import type { WhatIf } from '../core/simulator/index';
import type { SimulationResult } from '../core/simulator/result';

export interface LabelledRun {
  /** "as written" or the what-if in words. */
  label: string;
  result: SimulationResult;
}

const CSV_COLUMNS = [
  'run',
  'server',
  'minute',
  'time_utc',
  'threads_delivery',
  'threads_owa',
  'threads_move',
  'threads_flush',
  'threads_busy',
  'thread_pool',
  'local_delivery_queue',
];

export function resultsToCsv(runs: LabelledRun[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const { label, result } of runs) {
    for (const { summary, series } of Object.values(result.servers)) {
      for (let i = 0; i < series.t.length; i++) {
        const minute = series.t[i];
        const time = result.clockOrigin === null ? '' : new Date(result.clockOrigin + minute * 60000).toISOString();
        const busy = series.delivery[i] + series.owa[i] + series.move[i] + series.flush[i];
        lines.push(
          [
            csvText(label),
            csvText(summary.server),
            minute,
            time,
            series.delivery[i],
            series.owa[i],
            series.move[i],
            series.flush[i],
            busy,
            series.pool[i],
            series.deliveryQueue[i],
          ].join(','),
        );
      }
    }
  }
  return lines.join('\r\n') + '\r\n';
}

/** Quotes a text cell, and defuses a leading = + - @ so a spreadsheet does not run it as a formula. */
function csvText(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function resultsToJson(baseline: SimulationResult, whatIf?: { settings: WhatIf; label: string; result: SimulationResult }): string {
  return JSON.stringify({ baseline, whatIf: whatIf ?? null }, null, 2) + '\n';
}
