/**
 * `node out/test/fuzz/measure.js [--under-limit]`: times the core (lintText) on each large generated
 * hostile input and prints a table for docs/reliability.md. Figures, not assertions: the tests only
 * bound hangs. `--under-limit` adds the worst case the size limit lets through (slow: tens of
 * seconds and about 2 GB; run it with `node --max-old-space-size=6000`).
 */
import { MAX_RUNBOOK_CHARS } from '../../src/core/format/parse';
import { lintText } from '../../src/core/lint';
import { hostileCorpus } from '../fixtures/hostile/corpus';

const RUNS = 3;

function main(): void {
  process.stdout.write(
    '| input | characters | lintText, best of 3 (ms) | diagnostics | heap after (MB) |\n| --- | ---: | ---: | ---: | ---: |\n',
  );
  for (const hostile of hostileCorpus().filter((c) => c.large)) {
    const text = hostile.text();
    let best = Infinity;
    let count = 0;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      count = lintText(text).diagnostics.length;
      best = Math.min(best, performance.now() - started);
    }
    const heap = process.memoryUsage().heapUsed / 1048576;
    process.stdout.write(
      `| ${hostile.name.replace('generated: ', '')} | ${text.length.toLocaleString('en-US')} | ` +
        `${best.toFixed(0)} | ${count} | ${heap.toFixed(0)} |\n`,
    );
  }
  if (process.argv.includes('--under-limit')) {
    const parts = ['runbook: 1\nname: big\nservers:\n  - name: EXCH01\n    exchange: 2003\n    servicePack: 2\nsteps:\n'];
    let size = parts[0].length;
    for (let index = 0; ; index++) {
      const step = `  - id: s${index}\n    action: wait\n    duration: 1m\n`;
      if (size + step.length > MAX_RUNBOOK_CHARS) break;
      parts.push(step);
      size += step.length;
    }
    const text = parts.join('');
    const started = performance.now();
    const count = lintText(text).diagnostics.length;
    const ms = performance.now() - started;
    process.stdout.write(
      `| ${(parts.length - 1).toLocaleString('en-US')} steps, just under the size limit (once) | ` +
        `${text.length.toLocaleString('en-US')} | ${ms.toFixed(0)} | ${count} | peak RSS ` +
        `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} |\n`,
    );
  }
}

main();
