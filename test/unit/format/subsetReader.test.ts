import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { generateRunbook, seededRandom } from '../../../bench/runbookGenerator';
import { MAX_ALIAS_COUNT, YAML_PARSE_OPTIONS, type ParsedDocument } from '../../../src/core/format/parse';
import { readSubset } from '../../../src/core/format/subsetReader';
import { scanLayout } from '../../../src/core/incremental/layout';
import { hostileCorpus } from '../../fixtures/hostile/corpus';
import { yamlSuiteCases } from '../../fixtures/yamlTestSuite';

/** Everything of a node tree the analysis reads: kinds, values, ranges, scalar types and sources, flow or block. */
function tree(node: unknown): unknown {
  if (isMap(node)) return { map: node.items.map((pair) => [tree(pair.key), tree(pair.value)]), range: node.range, flow: !!node.flow };
  if (isSeq(node)) return { seq: node.items.map(tree), range: node.range, flow: !!node.flow };
  if (isScalar(node)) return { value: node.value, range: node.range, type: node.type, source: node.source };
  if (isPair(node)) return { pair: [tree(node.key), tree(node.value)] };
  return { other: node === null ? null : typeof node };
}

interface Tally {
  checked: number;
  accepted: number;
}

/** When the reader accepts `source`, yaml must accept it too and give the same tree and data. */
function compare(source: string, tally: Tally, label: string): void {
  tally.checked++;
  const read = readSubset(source);
  if (!read) return;
  tally.accepted++;
  const doc = parseDocument(source, YAML_PARSE_OPTIONS) as ParsedDocument;
  const context = `${label}: ${JSON.stringify(source.length > 600 ? source.slice(0, 600) + '…' : source)}`;
  assert.deepEqual(
    doc.errors.map((error) => error.code),
    [],
    `the reader accepted what yaml rejects, ${context}`,
  );
  assert.deepStrictEqual(tree(read.doc.contents), tree(doc.contents), `nodes differ, ${context}`);
  assert.deepStrictEqual(read.data, doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), `data differs, ${context}`);
}

/** The pieces the incremental analyzer parses alone: each top-level block, the `steps:` header and each step item. */
function pieces(text: string): string[] {
  const layout = scanLayout(text);
  if (!layout) return [];
  const out: string[] = [];
  layout.blocks.forEach((block, index) => {
    const split = layout.steps?.blockIndex === index;
    out.push(text.slice(block.start, split ? layout.steps!.itemStarts[0] : block.end));
    if (split) {
      const starts = layout.steps!.itemStarts;
      starts.forEach((start, i) => out.push(text.slice(start, i + 1 < starts.length ? starts[i + 1] : block.end)));
    }
  });
  return out;
}

const MUTATION_TEXTS = [
  ' ',
  '  ',
  '\n',
  '\n\n',
  '#',
  ' # c',
  '\n# c\n',
  '\n  # c\n',
  '\n    # c\n',
  '\n      # c\n',
  ':',
  ': ',
  '- ',
  '-',
  '"',
  "'",
  "''",
  '[',
  ']',
  '{',
  '}',
  ',',
  ', ',
  'x',
  '7',
  '0o7',
  '0x1F',
  '.5',
  '1e3',
  '.inf',
  'null',
  '~',
  'True',
  '&a ',
  '*a',
  '!!str ',
  '|',
  '>',
  '? ',
  '%',
  '@',
  '`',
  '\t',
  '\r',
  '\\',
  '__proto__: 1\n',
  'é',
  '\u00a0',
];

function mutate(source: string, random: () => number): string {
  const at = Math.floor(random() * (source.length + 1));
  const roll = random();
  if (roll < 0.6) {
    const insert = MUTATION_TEXTS[Math.floor(random() * MUTATION_TEXTS.length)];
    return source.slice(0, at) + insert + source.slice(at);
  }
  if (roll < 0.8) return source.slice(0, at) + source.slice(Math.min(source.length, at + 1 + Math.floor(random() * 6)));
  // Indent or dedent a line, or duplicate it.
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = source.indexOf('\n', at);
  const line = source.slice(lineStart, lineEnd < 0 ? source.length : lineEnd + 1);
  if (roll < 0.87) return source.slice(0, lineStart) + '  ' + source.slice(lineStart);
  if (roll < 0.94) return source.startsWith('  ', lineStart) ? source.slice(0, lineStart) + source.slice(lineStart + 2) : source;
  return source.slice(0, lineStart) + line + (line.endsWith('\n') ? '' : '\n') + source.slice(lineStart);
}

describe('the runbook-subset YAML reader agrees with yaml wherever it accepts an input', () => {
  it('on the pieces of generated runbooks, as they are and mutated (fixed seed)', () => {
    const tally: Tally = { checked: 0, accepted: 0 };
    const random = seededRandom(20261202);
    const unmutated: Tally = { checked: 0, accepted: 0 };
    for (let seed = 1; seed <= 6; seed++) {
      const text = generateRunbook({ steps: 120, seed });
      compare(text, tally, `runbook ${seed}`);
      for (const piece of pieces(text)) {
        compare(piece, unmutated, `piece of runbook ${seed}`);
        for (let m = 0; m < 4; m++) {
          let mutated = piece;
          const count = 1 + Math.floor(random() * 3);
          for (let k = 0; k < count; k++) mutated = mutate(mutated, random);
          compare(mutated, tally, `mutated piece of runbook ${seed}`);
        }
      }
    }
    // The reader must take the runbooks' own shapes, or it speeds nothing up.
    assert.ok(unmutated.accepted / unmutated.checked > 0.97, `accepted ${unmutated.accepted} of ${unmutated.checked} unmutated pieces`);
    assert.ok(tally.accepted > tally.checked * 0.2, `accepted ${tally.accepted} of ${tally.checked} mutated pieces`);
  });

  it('on the examples, the hostile corpus and their pieces, mutated', () => {
    const tally: Tally = { checked: 0, accepted: 0 };
    const random = seededRandom(7);
    const examplesDir = resolve(__dirname, '..', '..', '..', '..', 'examples');
    const texts = readdirSync(examplesDir)
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => readFileSync(resolve(examplesDir, name), 'utf8'));
    for (const hostile of hostileCorpus()) if (!hostile.large) texts.push(hostile.text());
    for (const text of texts) {
      for (const piece of [text, ...pieces(text)]) {
        compare(piece, tally, 'piece');
        for (let m = 0; m < 6; m++) compare(mutate(mutate(piece, random), random), tally, 'mutated piece');
      }
    }
    assert.ok(tally.accepted > 0);
  });

  it('on the YAML test suite', () => {
    const tally: Tally = { checked: 0, accepted: 0 };
    const random = seededRandom(11);
    for (const suiteCase of yamlSuiteCases()) {
      compare(suiteCase.yaml, tally, suiteCase.id);
      for (let m = 0; m < 4; m++) compare(mutate(suiteCase.yaml, random), tally, `${suiteCase.id} mutated`);
    }
    assert.ok(tally.accepted > 0);
  });
});
