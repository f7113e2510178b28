import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/edits';
import { analyze, isSimulatable, lintText, toDiagnostics } from '../../../src/core/lint';
import type { RunbookState } from '../../../src/server/documents';
import { editsForChange, firstExposedMove, panelEditsFor, runbookModelFor } from '../../../src/server/panel';
import { readSettings } from '../../../src/server/settings';
import { readExample } from '../../support';

/** The server's state of a document, as RunbookDocuments holds it after a lint. */
function stateOf(text: string, version = 3): RunbookState {
  const analysis = analyze(text);
  return { version, analysis, simulatable: isSimulatable(analysis), settings: readSettings({}), diagnostics: toDiagnostics(analysis) };
}

/** Only objects, arrays, strings, numbers, booleans and null (undefined fields are dropped on the wire): it crosses JSON twice. */
function assertPlainData(value: unknown, path: string): void {
  if (value === null || value === undefined || ['string', 'number', 'boolean'].includes(typeof value)) return;
  assert.ok(Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype, `${path} is not plain data`);
  for (const [key, item] of Object.entries(value as object)) assertPlainData(item, `${path}.${key}`);
}

describe("the language server's answers to the simulation panel", () => {
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

  it('sends the model with the errors that stop the simulation, as plain data', () => {
    const broken = readExample('kb924567-exposed.runbook.yaml').replace('to: EXCH02', 'to: EXCH09');
    const model = runbookModelFor(stateOf(broken));
    assert.equal(model.version, 3);
    assert.equal(model.simulatable, false);
    assert.ok(model.errorCount >= 1);
    assert.ok(
      model.blockingProblems.some((problem) => problem.code === 'EXR010' && /EXCH09/.test(problem.message)),
      JSON.stringify(model.blockingProblems),
    );
    assertPlainData(model, 'model');
  });

  it('answers "Apply to runbook" with LSP edits for the version it read, and refuses a request that is not a change', () => {
    const text = readExample('kb924567-exposed.runbook.yaml');
    const answer = panelEditsFor(stateOf(text, 7), { kind: 'hotfix', server: 'EXCH01' });
    assert.ok('edits' in answer, JSON.stringify(answer));
    assert.equal(answer.version, 7);
    assert.match(answer.description, /Inserted the KB924567 hotfix for EXCH01 before wave1/);
    assert.ok(answer.edits.every((edit) => edit.range.start.line >= 0 && /KB924567/.test(answer.edits.map((e) => e.newText).join(''))));
    for (const hostile of [null, 'hotfix', { kind: 'hotfix' }, { kind: 'delete-everything' }]) {
      assert.deepEqual(panelEditsFor(stateOf(text, 7), hostile), { version: 7, problem: 'The panel asked for a change it cannot make.' });
    }
  });
});
