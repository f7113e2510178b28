import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { IncrementalAnalyzer } from '../../../src/core/incremental/incrementalAnalyzer';
import type { RunbookDiagnostic } from '../../../src/core/diagnostics';
import { analyze, toDiagnostics } from '../../../src/core/lint';
import { BASE_RUNBOOK, hostileDir } from '../../fixtures/hostile/corpus';

function shown(diagnostics: RunbookDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.span.start}-${d.span.end} ${d.message}`);
}

/** The diagnostics after editing `before` into `after` incrementally, beside those of a full analysis of `after`. */
function bothWays(before: string, after: string): { incremental: string[]; full: string[] } {
  const analyzer = new IncrementalAnalyzer();
  analyzer.update(before);
  return { incremental: shown(toDiagnostics(analyzer.update(after))), full: shown(toDiagnostics(analyze(after))) };
}

// Found by the fuzzer (npm run fuzz); each reproduces one disagreement with the full analysis.
describe('hostile edits: the incremental analyzer agrees with a full analysis', () => {
  it('a top-level `__proto__:` key added by an edit is an unknown field, not a prototype for the data', () => {
    const after = BASE_RUNBOOK.replace('steps:', '__proto__: { polluted: yes }\nsteps:');
    const { incremental, full } = bothWays(BASE_RUNBOOK, after);
    assert.ok(full.some((line) => line.includes('Unknown field `__proto__`')));
    assert.deepEqual(incremental, full);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('duplicating a flow-style step shifts the later steps without repeating or dropping their findings', () => {
    const before = readFileSync(resolve(hostileDir, 'dates-out-of-range.runbook.yaml'), 'utf8');
    const lines = before.split('\n');
    const first = lines.findIndex((line) => line.includes('{ id: a,'));
    lines.splice(first, 0, lines[first]);
    const { incremental, full } = bothWays(before, lines.join('\n'));
    assert.deepEqual(incremental, full);
  });

  it('a step ending with an explicit key and no value (`? x: …`) has the same span both ways (fuzz case 3173)', () => {
    for (const key of ['? x: 2027-03-05T20:00:00Z', '? x', '? [a]']) {
      const after = BASE_RUNBOOK.replace('    concurrency: 2\n', `    concurrency: 2\n    ${key}\n`);
      const { incremental, full } = bothWays(BASE_RUNBOOK, after);
      assert.ok(
        full.some((line) => line.startsWith('EXR100') && line.includes('Unknown field')),
        key,
      );
      assert.deepEqual(incremental, full, key);
      // The span stops at the line break: it does not take the indentation of the next step's line.
      const analyzer = new IncrementalAnalyzer();
      analyzer.update(BASE_RUNBOOK);
      const model = analyzer.update(after).runbook;
      assert.deepEqual(JSON.parse(JSON.stringify(model)), JSON.parse(JSON.stringify(analyze(after).runbook)), key);
      const wave1 = model.steps[0];
      assert.equal(after.slice(wave1.span.end - 1, wave1.span.end), '\n', key);
    }
  });
});
