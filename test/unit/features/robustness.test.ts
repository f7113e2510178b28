import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/edits';
import { codeActions, codeLenses, completions, documentSymbols, foldingRanges, hover } from '../../../src/core/features';
import { analyze, toDiagnostics } from '../../../src/core/lint';
import { readExample } from '../../support';

/** Every feature at every offset of `text`: none may throw, and every fix must apply to the text. */
function exercise(text: string, step = 1) {
  const analysis = analyze(text);
  const diagnostics = toDiagnostics(analysis);
  documentSymbols(analysis);
  foldingRanges(text);
  codeLenses(analysis, { simulating: true });
  for (const action of codeActions(analysis, diagnostics)) assert.equal(typeof applyEdits(text, action.edits), 'string');
  for (let offset = 0; offset <= text.length; offset += step) {
    hover(analysis, offset, { diagnostics });
    completions(text, offset, analysis);
  }
}

describe('editor features on damaged text', () => {
  const example = readExample('multi-wave.runbook.yaml');

  it('work at every offset of an example', () => {
    exercise(example);
  });

  it('never throw on the example cut short, or with a character removed, doubled or replaced (deterministic sample)', () => {
    for (let cut = 0; cut < example.length; cut += 37) exercise(example.slice(0, cut), 11);
    const damage = [
      (t: string, i: number) => t.slice(0, i) + t.slice(i + 1),
      (t: string, i: number) => t.slice(0, i) + t[i] + t.slice(i),
      (t: string, i: number) => t.slice(0, i) + ':[{- #"'[i % 7] + t.slice(i + 1),
    ];
    for (let i = 0; i < example.length; i += 53) for (const change of damage) exercise(change(example, i), 29);
  });
});
