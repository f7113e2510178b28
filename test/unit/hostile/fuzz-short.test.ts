import assert from 'node:assert/strict';
import { DEFAULT_FUZZ_OPTIONS, runFuzz, summarize } from '../../fuzz/fuzz';
import { examplesDir } from '../../support';

describe('fuzzing: a short fixed-seed run of the mutation fuzzer (npm run fuzz runs the long one)', function () {
  this.timeout(180_000);

  it(
    '2,500 mutated runbooks through lint, quick fixes and the simulator: no exception, no range ' +
      'outside the document, no prototype change, no hang',
    () => {
      // The per-case bound here only catches hangs (a test never asserts on speed); `npm run fuzz` uses the tight bound.
      const report = runFuzz({ ...DEFAULT_FUZZ_OPTIONS, cases: 2_500, timeBoundMs: 20_000, examplesDir });
      assert.equal(report.cases, 2_500);
      assert.deepEqual(
        report.failures.map((failure) => `#${failure.caseIndex} ${failure.kind}: ${failure.detail}`),
        [],
        summarize(report),
      );
      // The mutations must reach every stage, or the run proves little.
      assert.ok((report.simulations.result ?? 0) > 0, 'some mutated runbooks were simulated to the end');
      assert.ok((report.simulations.budget ?? 0) > 0, 'some were refused by the event budget');
      assert.ok(report.fixesApplied > 0, 'quick fixes were applied');
      for (const code of ['EXR001', 'EXR004', 'EXR100', 'EXR101']) assert.ok((report.codes[code] ?? 0) > 0, `${code} was produced`);
    },
  );
});
