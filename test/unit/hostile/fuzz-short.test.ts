import assert from 'node:assert/strict';
import { DEFAULT_FUZZ_OPTIONS, runFuzz, summarize } from '../../fuzz/fuzz';
import { examplesDir } from '../../support';

describe('fuzzing: a short fixed-seed run of the mutation fuzzer (npm run fuzz runs the long one)', function () {
  this.timeout(180_000);

  it(
    '2,500 mutated runbooks through lint, editor features, quick fixes, the simulator and the built CLI: ' +
      'no exception, no range outside the document, no duplicate, no prototype change, no hang',
    () => {
      // The per-case bound here only catches hangs (a test never asserts on speed); `npm run fuzz` uses the tight bound.
      // Long spans stay small here (8 servers, 45 days): `npm run fuzz` takes the full 120 servers × 11 months.
      const longSpan = { maxServers: 8, maxSpanDays: 45 };
      const report = runFuzz({ ...DEFAULT_FUZZ_OPTIONS, cases: 2_500, timeBoundMs: 20_000, longSpan, examplesDir });
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
      for (const kind of ['example', 'hostile', 'yaml-test-suite', 'long span']) assert.ok((report.seeds[kind] ?? 0) > 0, `${kind} seeds`);
      assert.ok(report.featureChecks > 0, 'the editor features were exercised');
      assert.ok(Object.values(report.cliRuns).reduce((sum, count) => sum + count, 0) > 0, 'the built CLI ran on pipes or devices');
    },
  );
});
