import assert from 'node:assert/strict';
import { limitFoldingRanges } from './foldingReference';
import { generateRunbook, seededRandom } from '../../../bench/runbookGenerator';
import { codeLenses, foldingRanges } from '../../../src/core/features';
import { IncrementalAnalyzer } from '../../../src/core/incremental/incrementalAnalyzer';
import type { Analysis } from '../../../src/core/lint';
import type { RunbookState } from '../../../src/server/documents';
import { codeLensesFor, foldingFor } from '../../../src/server/features';
import { DEFAULT_SETTINGS } from '../../../src/server/settings';

const URI = 'file:///work/a.runbook.yaml';

function stateOf(analysis: Analysis): RunbookState {
  return { version: 1, analysis, simulatable: true, settings: { ...DEFAULT_SETTINGS, simulationEnabled: true }, diagnostics: [] };
}

describe('server features after edits', () => {
  it("code lenses (last time's CodeLens kept while at the same place) and folding equal a fresh conversion", () => {
    const random = seededRandom(5);
    let text = generateRunbook({ steps: 50, seed: 4 });
    const analyzer = new IncrementalAnalyzer();
    for (let round = 0; round < 80; round++) {
      const starts = [...text.matchAll(/^ {2}- /gm)].map((match) => match.index!);
      const at = starts[Math.floor(random() * starts.length)];
      const next = starts.find((start) => start > at) ?? text.length;
      const kind = round % 4;
      if (kind === 0) text = text.slice(0, at) + text.slice(at, next) + text.slice(at);
      else if (kind === 1) text = text.slice(0, at) + text.slice(next);
      else if (kind === 2) text = text.slice(0, at) + 'x'.repeat(1 + (round % 3)) + text.slice(at);
      else text = text.slice(0, at) + text.slice(at + 1 + (round % 3));
      const state = stateOf(analyzer.update(text));
      const uri = round % 10 === 9 ? `${URI}.other` : URI;
      for (const simulateCommand of [true, false]) {
        const lines = state.analysis.parsed.lines;
        const expected = codeLenses(state.analysis, { simulating: true })
          .filter((lens) => simulateCommand || !lens.command)
          .map((lens) => ({
            range: lines.rangeOf(lens.span),
            command: lens.command
              ? { title: lens.title, command: lens.command, arguments: [uri, lens.stepIndex] }
              : { title: lens.title, command: '' },
          }));
        assert.deepEqual(codeLensesFor(state, uri, { simulateCommand }), expected, `round ${round}`);
      }
      const limit = [5, 40, 5000][round % 3];
      assert.deepEqual(
        foldingFor(text, limit).map(({ startLine, endLine, kind }) => ({ startLine, endLine, ...(kind ? { kind } : {}) })),
        limitFoldingRanges(foldingRanges(text).toArray(), limit),
      );
    }
  });
});
