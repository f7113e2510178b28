import assert from 'node:assert/strict';
import { documentSymbols, foldingRanges, type DocumentSymbolItem } from '../../../src/core/features';
import { foldingRangesAfresh } from '../../../src/core/features/symbols';
import { analyze } from '../../../src/core/lint';
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
    assert.deepEqual(foldingRanges(text), [
      { startLine: 0, endLine: 1, kind: 'comment' },
      { startLine: 3, endLine: 10 },
      { startLine: 4, endLine: 10 },
      { startLine: 6, endLine: 7 },
      { startLine: 11, endLine: 16 },
      { startLine: 12, endLine: 13 },
      { startLine: 14, endLine: 16 },
    ]);
    assert.deepEqual(foldingRanges(text.replace(/\n/g, '\r\n')), foldingRanges(text), 'CRLF folds the same');
  });

  it('handles any text and stays linear on deep nesting', () => {
    assert.deepEqual(foldingRanges(''), []);
    assert.deepEqual(foldingRanges('a: [\n'), []);
    const deep = Array.from({ length: 3000 }, (_, i) => ' '.repeat(i) + 'k:').join('\n');
    const ranges = foldingRanges(deep);
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
      assert.deepEqual(foldingRanges(text), foldingRangesAfresh(text), `round ${round}`);
      if (round % 97 === 0) assert.deepEqual(foldingRanges('a:\n  b: 1\n'), foldingRangesAfresh('a:\n  b: 1\n'));
    }
  });
});
