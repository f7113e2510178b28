/**
 * Simulator benchmark: a 24 h, 5,000-mailbox, 4-server runbook with local delivery and OWA
 * load on every server (one source exposed to KB924567, one fixed). Prints events per second
 * and wall time, the median of several runs after warm-up. Run: node out/bench/simulate.js [runs]
 */
import { parseText } from '../src/core/format/parse';
import { buildRunbook } from '../src/core/model/build';
import type { Runbook } from '../src/core/model/types';
import { simulate } from '../src/core/simulator';

export function benchmarkRunbookText(): string {
  const server = (name: string, extra: string) => `  - name: ${name}
    exchange: 2003
    servicePack: 2
${extra}    load: { localDeliveryPerMinute: 300, deliveryServiceMs: 200, owaRequestsPerMinute: 120, owaServiceMs: 150 }
`;
  return `runbook: 1
name: Benchmark — 5,000 mailboxes over 24 hours
servers:
${server('MBX1', '    mta: { service: disabled, gatewayOutThreads: 0 }\n')}${server('MBX2', '')}${server(
    'MBX3',
    '    hotfixes: [KB924567]\n    mta: { service: disabled, gatewayOutThreads: 0 }\n',
  )}${server('MBX4', '')}simulation:
  seed: 42
  duration: 24h
steps:
  - id: wave-a
    action: move-mailboxes
    from: MBX1
    to: MBX2
    mailboxes: { count: 2500, averageSizeMB: 100 }
    concurrency: 8
    throughputMBPerMinute: 30
    start: 2026-12-05T20:00:00Z
  - id: wave-b
    action: move-mailboxes
    from: MBX3
    to: MBX4
    mailboxes: { count: 2500, averageSizeMB: 100 }
    concurrency: 8
    throughputMBPerMinute: 30
    start: 2026-12-05T20:00:00Z
`;
}

export function benchmarkRunbook(): Runbook {
  const text = benchmarkRunbookText();
  return buildRunbook(parseText(text).doc, text);
}

function main(): void {
  const runs = Math.max(1, Number(process.argv[2] ?? 7));
  const runbook = benchmarkRunbook();
  for (let i = 0; i < 2; i++) simulate(runbook); // warm-up: let the JIT optimise the loop
  const wall: number[] = [];
  const cpu: number[] = [];
  let events = 0;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const cpuStarted = process.cpuUsage();
    const result = simulate(runbook);
    const cpuUsed = process.cpuUsage(cpuStarted);
    wall.push(Number(process.hrtime.bigint() - started) / 1e6);
    // CPU time of this process: on a shared machine it is what the run itself cost.
    cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
    events = result.events;
  }
  const median = (values: number[]): number => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const wallMedian = median(wall);
  const cpuMedian = median(cpu);
  const perSecond = (ms: number): string => (((events / ms) * 1000) / 1e6).toFixed(2);
  console.log(`simulate: 24 h, 5,000 mailboxes, 4 servers with delivery and OWA load; ${events.toLocaleString('en-US')} events`);
  console.log(
    `  wall time  median ${wallMedian.toFixed(1)} ms (min ${Math.min(...wall).toFixed(1)}, max ` +
      `${Math.max(...wall).toFixed(1)}) -> ${perSecond(wallMedian)} million events/s`,
  );
  console.log(
    `  CPU time   median ${cpuMedian.toFixed(1)} ms (min ${Math.min(...cpu).toFixed(1)}) -> ${perSecond(cpuMedian)} million events/s`,
  );
  console.log(`  ${runs} runs after 2 warm-up runs; node ${process.version}`);
}

if (require.main === module) main();
