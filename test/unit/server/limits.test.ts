import assert from 'node:assert/strict';
import { limitFoldingRanges } from './foldingReference';
import type { DocumentSymbol, FoldingRange } from 'vscode-languageserver/node';
import type { RunbookDiagnostic } from '../../../src/core/diagnostics';
import { foldingRanges, type DocumentSymbolItem } from '../../../src/core/features';
import { generateRunbook, seededRandom } from '../../../bench/runbookGenerator';
import {
  DEFAULT_FOLDING_RANGE_LIMIT,
  limitDiagnostics,
  limitSymbols,
  MAX_DIAGNOSTICS,
  MAX_DOCUMENT_SYMBOLS,
} from '../../../src/server/limits';
import { TestClient } from './lspClient';

const URI = 'file:///work/huge.runbook.yaml';
const QUIET = { lint: { debounceMs: 0 }, simulation: { enabled: false, debounceMs: 0 } };

/** A runbook of `count` wait steps, each under `comment` when one is given. */
function manySteps(count: number, comment = ''): string {
  const lines = ['runbook: 1', 'name: Many steps', 'servers:', '  - { name: EXCH01, exchange: 2003, servicePack: 2 }', 'steps:'];
  for (let index = 0; index < count; index++) {
    if (comment) lines.push(`  ${comment}`);
    lines.push(`  - id: s${index}`, '    action: wait', '    duration: 5m');
  }
  return `${lines.join('\n')}\n`;
}

function countSymbols(symbols: readonly DocumentSymbol[]): number {
  return symbols.reduce((sum, symbol) => sum + 1 + countSymbols(symbol.children ?? []), 0);
}

describe('what the server sends about a huge runbook is bounded (src/server/limits.ts)', function () {
  this.timeout(60_000);
  let client: TestClient | undefined;

  afterEach(async () => {
    await client?.dispose();
    client = undefined;
  });

  it(`publishes at most ${MAX_DIAGNOSTICS} diagnostics, the errors first, and one more at the top saying how many are left out`, async () => {
    client = await TestClient.start();
    client.settings = QUIET;
    // 1,200 warnings (EXR102: each comment suppresses nothing), then one error at the very end (EXR011).
    const text = `${manySteps(1_200, '# exrunbook-disable-next-line EXR001')}  - id: s0\n    action: wait\n    duration: 5m\n`;
    client.open(URI, text);
    const published = await client.diagnosticsWhere(URI, (params) => params.diagnostics.length > 0, 'the diagnostics');
    const { diagnostics } = published;
    assert.equal(diagnostics.length, MAX_DIAGNOSTICS + 1);
    const notes = diagnostics.filter((d) => d.code === undefined);
    assert.equal(notes.length, 1);
    const [note] = notes;
    assert.equal(diagnostics[0], note, 'the note comes first');
    assert.deepEqual(note.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.equal(note.severity, 3); // Information
    assert.equal(note.source, 'exrunbook');
    assert.equal(
      note.message,
      '201 more problems are not shown (201 warnings): the editor is sent at most 1,000 per runbook, the most severe first. `exrunbook lint` lists them all.',
    );
    const shown = diagnostics.filter((d) => d !== note);
    assert.deepEqual(
      shown.filter((d) => d.code === 'EXR011').map((d) => d.severity),
      [1],
      'the one error, at the end of the file, is among those shown',
    );
    assert.equal(shown.filter((d) => d.code === 'EXR102').length, MAX_DIAGNOSTICS - 1);
    // The warnings shown are the first in the text, in the text's order.
    const lines = shown.filter((d) => d.code === 'EXR102').map((d) => d.range.start.line);
    assert.deepEqual(
      lines,
      lines.map((_, index) => 5 + 4 * index),
    );
  });

  it('publishes every diagnostic, and no note, when there are no more than the limit', () => {
    const make = (count: number): RunbookDiagnostic[] =>
      Array.from({ length: count }, (_, index) => ({
        code: 'EXR102',
        severity: index % 3 === 0 ? 'hint' : 'warning',
        message: String(index),
        range: { start: { line: index, character: 0 }, end: { line: index, character: 1 } },
        span: { start: index, end: index + 1 },
      }));
    const exact = make(MAX_DIAGNOSTICS);
    assert.deepEqual(limitDiagnostics(exact), { shown: exact, omitted: [] });
    const over = make(MAX_DIAGNOSTICS + 10);
    const { shown, omitted } = limitDiagnostics(over);
    assert.equal(shown.length, MAX_DIAGNOSTICS);
    // The ten left out are hints, the least severe, from the end of the text.
    assert.ok(omitted.every((d) => d.severity === 'hint'));
    assert.deepEqual(
      shown.map((d) => Number(d.message)),
      shown.map((d) => Number(d.message)).sort((a, b) => a - b),
      'in the order they came',
    );
    assert.equal(Number(omitted[0].message) > Number(shown.filter((d) => d.severity === 'hint').at(-1)!.message), true);
  });

  it(`answers the outline with at most ${MAX_DOCUMENT_SYMBOLS} symbols, every level kept, and says how many steps it shows`, async () => {
    client = await TestClient.start();
    client.settings = QUIET;
    client.open(URI, manySteps(6_000));
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: URI } });
    assert.equal(countSymbols(symbols), MAX_DOCUMENT_SYMBOLS);
    assert.deepEqual(
      symbols.map((symbol) => symbol.name),
      ['runbook', 'name', 'Servers', 'Steps'],
    );
    assert.deepEqual(
      symbols[2].children?.map((child) => child.name),
      ['EXCH01'],
    );
    const steps = symbols[3];
    // 4 top-level symbols and the server leave 4,995 for the steps.
    assert.equal(steps.children?.length, MAX_DOCUMENT_SYMBOLS - 5);
    assert.equal(steps.children?.[0].name, 's0');
    assert.equal(steps.children?.at(-1)?.name, 's4994');
    assert.equal(steps.detail, '6,000 in order (4,995 of 6,000 shown)');
  });

  it('keeps an outline under the limit as it is', () => {
    const leaf = (name: string): DocumentSymbolItem => ({
      name,
      detail: '',
      kind: 'step',
      span: { start: 0, end: 1 },
      selectionSpan: { start: 0, end: 0 },
      children: [],
    });
    const tree = [{ ...leaf('Steps'), kind: 'namespace' as const, children: [leaf('a'), leaf('b')] }];
    assert.deepEqual(limitSymbols(tree, 3), tree);
    assert.deepEqual(limitSymbols(tree, 2), [{ ...tree[0], detail: '1 of 2 shown', children: [leaf('a')] }]);
    assert.deepEqual(tree[0].children.length, 2, 'the analysis keeps its symbols');
  });

  it("answers at most the client's foldingRange.rangeLimit folding ranges, the outermost first", async () => {
    client = await TestClient.start({
      capabilities: {
        workspace: { configuration: true },
        textDocument: { foldingRange: { rangeLimit: 100, lineFoldingOnly: true } },
      },
    });
    client.settings = QUIET;
    client.open(URI, manySteps(6_000));
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: URI } });
    assert.equal(ranges.length, 100);
    // `servers:` (line 2) and `steps:` (line 4, over every step) come first; then the first 98 steps, each over its keys.
    assert.deepEqual(
      ranges.filter((range) => range.startLine < 5).map((range) => [range.startLine, range.endLine]),
      [
        [2, 3],
        [4, 4 + 3 * 6_000],
      ],
    );
    const items = ranges.filter((range) => range.startLine >= 5);
    assert.equal(items.length, 98);
    assert.deepEqual(
      items.map((range) => [range.startLine, range.endLine]),
      items.map((_, index) => [5 + 3 * index, 7 + 3 * index]),
    );
  });

  it(`answers at most ${DEFAULT_FOLDING_RANGE_LIMIT} folding ranges to a client that sets no limit`, async () => {
    client = await TestClient.start();
    client.settings = QUIET;
    client.open(URI, manySteps(6_000));
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: URI } });
    assert.equal(ranges.length, DEFAULT_FOLDING_RANGE_LIMIT);
  });

  it('keeps the outermost folding ranges, in the order they came', () => {
    // 0-9 holds 1-4 (which holds 2-3) and 5-9; 10-12 stands alone.
    const ranges = [
      { startLine: 2, endLine: 3 },
      { startLine: 1, endLine: 4 },
      { startLine: 5, endLine: 9 },
      { startLine: 0, endLine: 9 },
      { startLine: 10, endLine: 12, kind: 'comment' as const },
    ];
    assert.deepEqual(limitFoldingRanges(ranges, 5), ranges);
    assert.deepEqual(limitFoldingRanges(ranges, 2), [ranges[3], ranges[4]]);
    assert.deepEqual(limitFoldingRanges(ranges, 3), [ranges[1], ranges[3], ranges[4]]);
    assert.deepEqual(limitFoldingRanges(ranges, 4), [ranges[1], ranges[2], ranges[3], ranges[4]]);
    assert.deepEqual(limitFoldingRanges(ranges, 0), []);
  });

  it("the core's `limited` folding ranges are the ones limitFoldingRanges keeps", () => {
    const random = seededRandom(77);
    const deep = Array.from({ length: 60 }, (_, i) => ' '.repeat(i % 17) + (i % 5 === 0 ? '# c' : i % 3 === 0 ? '- k:' : 'k:')).join('\n');
    for (const text of [generateRunbook({ steps: 80 }), deep, manySteps(50, '# about it\n  # and more')]) {
      const ranges = foldingRanges(text);
      const all = ranges.toArray();
      for (let round = 0; round < 40; round++) {
        const limit = round < 3 ? [0, 1, all.length][round] : Math.floor(random() * (all.length + 2));
        assert.deepEqual(ranges.limited(limit), limitFoldingRanges(all, limit), `limit ${limit}`);
      }
    }
  });
});
