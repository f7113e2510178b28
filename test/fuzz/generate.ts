/**
 * Runbooks generated whole, for what mutation of small seeds never reaches: many servers and steps
 * whose `start:` dates lie months apart, with no `simulation:` block (issue 16: 80 servers and two
 * moves eleven months apart ran `exrunbook lint` out of a 4 GB heap). Valid by the schema.
 */
import type { SeededRandom } from './mutate';

export interface LongSpanOptions {
  /** At most this many servers (at least two). */
  maxServers: number;
  /** The last step starts at most this many days after the first. */
  maxSpanDays: number;
}

export const DEFAULT_LONG_SPAN: LongSpanOptions = { maxServers: 120, maxSpanDays: 335 };

export function longSpanRunbook(random: SeededRandom, options: LongSpanOptions = DEFAULT_LONG_SPAN): string {
  const servers = 2 + random.below(Math.max(1, options.maxServers - 1));
  const lines = ['runbook: 1', `name: long span, ${servers} servers`, 'servers:'];
  for (let i = 0; i < servers; i++) {
    const exposed = random.chance(1, 3);
    const mta = exposed ? ', mta: { service: disabled }' : '';
    lines.push(`  - { name: EXCH${String(i + 1).padStart(3, '0')}, exchange: 2003, servicePack: 2${mta} }`);
  }
  lines.push('steps:');
  const first = Date.UTC(2026, random.below(12), 1 + random.below(28), random.below(24));
  const moves = 2 + random.below(3);
  for (let m = 0; m < moves; m++) {
    const offsetDays =
      m === 0 ? 0 : m === moves - 1 ? options.maxSpanDays * (0.5 + random.below(51) / 100) : random.below(options.maxSpanDays);
    const start = new Date(first + Math.floor(offsetDays * 86_400_000)).toISOString().replace(/\.\d+Z$/, 'Z');
    const from = 1 + random.below(servers);
    const to = 1 + ((from + random.below(servers - 1)) % servers);
    lines.push(
      `  - id: move-${m + 1}`,
      '    action: move-mailboxes',
      `    from: EXCH${String(from).padStart(3, '0')}`,
      `    to: EXCH${String(to).padStart(3, '0')}`,
      `    mailboxes: { count: ${1 + random.below(50)}, averageSizeMB: ${1 + random.below(200)} }`,
      `    concurrency: ${1 + random.below(8)}`,
      `    start: "${start}"`,
    );
  }
  return lines.join('\n') + '\n';
}
