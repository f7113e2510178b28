import assert from 'node:assert/strict';
import { documentSymbols, foldingRanges, type DocumentSymbolItem } from '../../../src/core/features';
import { foldingRangesAfresh } from '../../../src/core/features/symbols';
import { analyze } from '../../../src/core/lint';
import { IncrementalAnalyzer } from '../../../src/core/incremental/incrementalAnalyzer';
import { generateRunbook, seededRandom } from '../../../bench/runbookGenerator';
import { readExample, yaml } from '../../support';

function outline(symbols: DocumentSymbolItem[]): string[] {
  return symbols.flatMap((symbol) => [
    `${symbol.name} [${symbol.kind}] ${symbol.detail}`,
    ...symbol.children.map((child) => `  ${child.name} [${child.kind}] ${child.detail}`),
  ]);
}

describe('document symbols', () => {
  it('a name or id written as a block scalar: the selection stays inside its symbol (found by the fuzzer)', () => {
    const text = yaml(
      'runbook: 1',
      'servers:',
      '  - name: |',
      '      EXCH01',
      '    exchange: 2003',
      'steps:',
      '  - id: >-',
      '      a',
      '    action: wait',
    );
    const symbols = documentSymbols(analyze(text)).flatMap((symbol) => [symbol, ...symbol.children]);
    for (const symbol of symbols) {
      assert.ok(
        symbol.span.start <= symbol.selectionSpan.start && symbol.selectionSpan.end <= symbol.span.end,
        `${symbol.name}: selection ${symbol.selectionSpan.start}-${symbol.selectionSpan.end} outside ${symbol.span.start}-${symbol.span.end}`,
      );
    }
    const server = symbols.find((symbol) => symbol.kind === 'server')!;
    assert.equal(text.slice(server.selectionSpan.start, server.selectionSpan.end), '|\n      EXCH01');
  });

  it('Servers > each server with its version, Steps > each step with its action, and the other top-level keys', () => {
    const symbols = documentSymbols(analyze(readExample('multi-wave.runbook.yaml')));
    assert.deepEqual(outline(symbols), [
      'runbook [property] 1',
      'name [property] Northwind weekend consolidation',
      'description [property] EXCH01 and EXCH03 drain into EXCH02 over Saturday night.',
      'Servers [namespace] 3 declared',
      '  EXCH01 [server] Exchange 2003 SP2',
      '  EXCH02 [server] Exchange 2003 SP2',
      '  EXCH03 [server] Exchange 2003 SP1',
      'simulation [object] ',
      'Steps [namespace] 6 in order',
      '  wave1 [step] move-mailboxes',
      '  sp2-exch03 [step] install-service-pack',
      '  mta-off-exch03 [step] set-mta',
      '  wave2a [step] move-mailboxes',
      '  hotfix-exch03 [step] install-hotfix',
      '  wave2b [step] move-mailboxes',
    ]);
  });

  it("keeps last time's step symbols for the steps an edit did not change, their spans and names moved with them", () => {
    let text = generateRunbook({ steps: 40, seed: 2 });
    const analyzer = new IncrementalAnalyzer();
    const steps = (symbols: DocumentSymbolItem[]) => symbols.find((symbol) => symbol.name === 'Steps')!.children;
    const before = steps(documentSymbols(analyzer.update(text)));
    const at = text.indexOf('  - id: step-20\n');
    // An item without an id is named by its position: inserted above, the later ones' names change.
    text = text.slice(0, at) + '  - action: wait\n    duration: 1h\n' + text.slice(at);
    const analysis = analyzer.update(text);
    const after = steps(documentSymbols(analysis));
    assert.equal(after[0], before[0]);
    assert.equal(after[after.length - 1], before[before.length - 1]);
    assert.deepEqual(documentSymbols(analysis), documentSymbols(analyze(text)));
    // A step inserted above it: the same symbol object, named by its new position.
    const position = after.findIndex((symbol) => symbol.detail === 'wait' && symbol.name.startsWith('step '));
    const unnamed = after[position];
    assert.equal(unnamed.name, `step ${position + 1}`);
    const top = text.indexOf('  - id: step-5\n');
    text = text.slice(0, top) + '  - id: added\n    action: reboot\n    server: EXCH01\n' + text.slice(top);
    const moved = steps(documentSymbols(analyzer.update(text)));
    assert.equal(moved[position + 1], unnamed);
    assert.equal(unnamed.name, `step ${position + 2}`);
    assert.deepEqual(documentSymbols(analyzer.update(text)), documentSymbols(analyze(text)));
    text = text.replace('  - action: wait\n    duration: 1h\n', '');
    assert.deepEqual(documentSymbols(analyzer.update(text)), documentSymbols(analyze(text)));
  });

  it('ranges cover the entry from its key or dash to its last character, selection inside it', () => {
    const text = readExample('multi-wave.runbook.yaml');
    const symbols = documentSymbols(analyze(text));
    const steps = symbols.find((symbol) => symbol.name === 'Steps')!;
    assert.equal(text.slice(steps.selectionSpan.start, steps.selectionSpan.end), 'steps');
    assert.ok(text.slice(steps.span.start, steps.span.end).startsWith('steps:\n  - id: wave1'));
    assert.ok(text.slice(steps.span.start, steps.span.end).endsWith('throughputMBPerMinute: 25'));
    const wave2a = steps.children[3];
    assert.ok(text.slice(wave2a.span.start, wave2a.span.end).startsWith('- id: wave2a\n'));
    assert.ok(text.slice(wave2a.span.start, wave2a.span.end).endsWith('throughputMBPerMinute: 25'));
    assert.equal(text.slice(wave2a.selectionSpan.start, wave2a.selectionSpan.end), 'wave2a');
    for (const symbol of [...symbols, ...symbols.flatMap((s) => s.children)]) {
      assert.ok(symbol.span.start <= symbol.selectionSpan.start && symbol.selectionSpan.end <= symbol.span.end, symbol.name);
    }
  });

  it('names unnamed entries by position and survives broken YAML', () => {
    const symbols = documentSymbols(
      analyze(yaml('runbook: 1', 'servers:', '  - exchange: 2003', 'steps:', '  - action: wait', '    duration: 1h')),
    );
    assert.deepEqual(outline(symbols), [
      'runbook [property] 1',
      'Servers [namespace] 1 declared',
      '  server 1 [server] Exchange 2003',
      'Steps [namespace] 1 in order',
      '  step 1 [step] wait',
    ]);
    assert.doesNotThrow(() => documentSymbols(analyze('runbook: 1\nsteps:\n  - id: [\n')));
    assert.deepEqual(documentSymbols(analyze('- just a list\n')), []);
  });
});

describe('folding ranges', () => {
  it('follow the block structure: top-level keys, list items, nested mappings; comment runs fold as comments', () => {
    const text = yaml(
      '# line one', //            0
      '# line two', //            1
      'runbook: 1', //            2
      'servers:', //              3
      '  - name: A', //           4
      '    exchange: 2003', //    5
      '    mta:', //              6
      '      service: disabled', // 7
      '', //                      8
      '    # about load', //      9
      '    load: { localDeliveryPerMinute: 5 }', // 10
      'steps:', //                11
      '- id: a', //               12
      '  action: wait', //        13
      '- id: b', //               14
      '  action: wait', //        15
      '  duration: 1h', //        16
    );
    assert.deepEqual(foldingRanges(text).toArray(), [
      { startLine: 0, endLine: 1, kind: 'comment' },
      { startLine: 3, endLine: 10 },
      { startLine: 4, endLine: 10 },
      { startLine: 6, endLine: 7 },
      { startLine: 11, endLine: 16 },
      { startLine: 12, endLine: 13 },
      { startLine: 14, endLine: 16 },
    ]);
    assert.deepEqual(foldingRanges(text.replace(/\n/g, '\r\n')).toArray(), foldingRanges(text).toArray(), 'CRLF folds the same');
  });

  it('handles any text and stays linear on deep nesting', () => {
    assert.deepEqual(foldingRanges('').toArray(), []);
    assert.deepEqual(foldingRanges('a: [\n').toArray(), []);
    const deep = Array.from({ length: 3000 }, (_, i) => ' '.repeat(i) + 'k:').join('\n');
    const ranges = foldingRanges(deep).toArray();
    assert.equal(ranges.length, 2999);
    assert.deepEqual(ranges[0], { startLine: 0, endLine: 2999 });
  });

  it("equals a fresh fold after every edit (last time's ranges kept while the lines keep their shapes)", () => {
    const random = seededRandom(1414);
    const pieces = ['x', ' ', '  ', '\n', '- ', '#', ':', 'k: ', '\r', '\r\n', '\u00a0', '\t', '- a:'];
    let text = generateRunbook({ steps: 40 });
    for (let round = 0; round < 600; round++) {
      const at = Math.floor(random() * (text.length + 1));
      const removed = random() < 0.4 ? Math.floor(random() * 4) : 0;
      const inserted = random() < 0.7 ? pieces[Math.floor(random() * pieces.length)] : '';
      text = text.slice(0, at) + inserted + text.slice(at + removed);
      assert.deepEqual(foldingRanges(text).toArray(), foldingRangesAfresh(text), `round ${round}`);
      if (round % 97 === 0) assert.deepEqual(foldingRanges('a:\n  b: 1\n').toArray(), foldingRangesAfresh('a:\n  b: 1\n'));
    }
  });

  it('equals a fresh fold after lines are inserted, deleted, indented and commented out (the ranges refolded near the edit)', () => {
    const random = seededRandom(2718);
    const lines = [
      'key:',
      '- item',
      '- a: 1',
      '  b:',
      '  - x',
      '',
      '# note',
      '  # indented note',
      '    deep: 1',
      '  - id: s',
      '    action: wait',
      '      more: 2',
      'top: 1',
      '\u00a0 odd',
      '   ',
    ];
    const base = generateRunbook({ steps: 30 }).split('\n');
    for (const start of [base, lines]) {
      let text = start.join('\n');
      const other = 'a:\n  b:\n    c: 1\n';
      for (let round = 0; round < 400; round++) {
        const all = text.split('\n');
        const at = Math.floor(random() * (all.length + 1));
        const kind = Math.floor(random() * 5);
        const line = lines[Math.floor(random() * lines.length)];
        if (kind === 0) all.splice(at, 0, ...Array.from({ length: 1 + Math.floor(random() * 4) }, () => line));
        else if (kind === 1) all.splice(at, 1 + Math.floor(random() * 6));
        else if (kind === 2 && at < all.length) all[at] = '  ' + all[at];
        else if (kind === 3 && at < all.length) all[at] = all[at].replace(/^ {1,2}/, '');
        else if (at < all.length) all[at] = `# ${all[at]}`;
        text = all.join('\n');
        assert.deepEqual(foldingRanges(text).toArray(), foldingRangesAfresh(text), `round ${round}:\n${text}`);
        assert.equal(foldingRanges(text).length, foldingRangesAfresh(text).length);
        // Another document in between: the next edit folds from scratch, and equals again.
        if (round % 53 === 0) assert.deepEqual(foldingRanges(other).toArray(), foldingRangesAfresh(other));
      }
    }
  });
});
