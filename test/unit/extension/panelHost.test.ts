import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/edits';
import { lintText } from '../../../src/core/lint';
import { buildRunbookMessage, editsForChange, firstExposedMove } from '../../../src/extension/panelHost';
import { readExample } from '../../support';

describe('simulation panel, host side', () => {
  it('finds the first move that is exposed to KB924567, judged at that step', () => {
    const multiWave = lintText(readExample('multi-wave.runbook.yaml')).runbook;
    assert.equal(multiWave.steps[firstExposedMove(multiWave, 'exch03')!].id?.value, 'wave2a');
    assert.equal(firstExposedMove(multiWave, 'EXCH01'), undefined, 'EXCH01 has the hotfix and Gateway Out Threads 0');
  });

  it('writes the hotfix what-if into the runbook: the move is no longer exposed and the comments stay', () => {
    const text = readExample('kb924567-exposed.runbook.yaml');
    const before = lintText(text);
    assert.ok(before.diagnostics.some((diagnostic) => diagnostic.code === 'EXR001'));
    const outcome = editsForChange(text, before.runbook, { kind: 'hotfix', server: 'EXCH01' });
    assert.ok('description' in outcome, JSON.stringify(outcome));
    const changed = applyEdits(text, outcome.edits);
    const after = lintText(changed);
    assert.deepEqual(
      after.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => diagnostic.code),
      [],
    );
    const hotfixIndex = after.runbook.steps.findIndex((step) => step.action?.value === 'install-hotfix');
    const moveIndex = after.runbook.steps.findIndex((step) => step.action?.value === 'move-mailboxes');
    assert.ok(hotfixIndex >= 0 && hotfixIndex < moveIndex);
    for (const comment of text.split('\n').filter((line) => line.trimStart().startsWith('#')))
      assert.ok(changed.includes(comment), comment);
    assert.equal(firstExposedMove(after.runbook, 'EXCH01'), undefined);
  });

  it('says so instead of editing when the server has no exposed move', () => {
    const text = readExample('kb924567-fixed.runbook.yaml');
    const outcome = editsForChange(text, lintText(text).runbook, { kind: 'hotfix', server: 'EXCH01' });
    assert.deepEqual(outcome.edits, []);
    assert.ok('problem' in outcome && /No move off EXCH01 is exposed/.test(outcome.problem));
  });

  it('writes a concurrency into every move that has another one, and refuses one out of range', () => {
    const text = readExample('multi-wave.runbook.yaml');
    const runbook = lintText(text).runbook;
    const outcome = editsForChange(text, runbook, { kind: 'concurrency', concurrency: 2 });
    const moves = lintText(applyEdits(text, outcome.edits)).runbook.steps.filter((step) => step.action?.value === 'move-mailboxes');
    assert.deepEqual(
      moves.map((step) => step.concurrency?.value),
      [2, 2, 2],
    );
    const refused = editsForChange(text, runbook, { kind: 'concurrency', concurrency: 40 });
    assert.deepEqual(refused.edits, []);
  });

  it('posts the runbook as plain data, with the errors that stop the simulation', () => {
    const broken = readExample('kb924567-exposed.runbook.yaml').replace('to: EXCH02', 'to: EXCH09');
    const message = buildRunbookMessage(
      lintText(broken),
      { uri: 'file:///r.runbook.yaml', fileName: 'r.runbook.yaml', version: 3 },
      { assumptions: {}, maxEvents: 1000 },
    );
    assert.equal(message.simulatable, false);
    assert.ok(message.errorCount >= 1);
    assert.ok(
      message.blockingProblems.some((problem) => problem.code === 'EXR010' && /EXCH09/.test(problem.message)),
      JSON.stringify(message.blockingProblems),
    );
    assert.deepEqual(JSON.parse(JSON.stringify(message)), message);
  });
});
