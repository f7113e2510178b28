import { strict as assert } from 'node:assert';
import { generateRunbook, seededRandom } from '../../../bench/runbookGenerator';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { IncrementalAnalyzer, lintOnce } from '../../../src/core/incremental/incrementalAnalyzer';
import { codeActions } from '../../../src/core/features/codeActions';
import { codeLenses } from '../../../src/core/features/codeLens';
import { hover } from '../../../src/core/features/hover';
import { documentSymbols, foldingRanges } from '../../../src/core/features/symbols';
import { hostileCorpus } from '../../fixtures/hostile/corpus';
import { analyze, isSimulatable, lintText, toDiagnostics, type Analysis, type LintOptions } from '../../../src/core/lint';

/**
 * What must be identical between the incremental and the full analysis: diagnostics, the verdict,
 * the model, and what the editor asks after an edit (outline, folding, code lenses, code actions,
 * hovers at offsets spread over the text and on each step's id and action).
 */
function observable(analysis: Analysis, options: LintOptions) {
  const diagnostics = toDiagnostics(analysis, options);
  const text = analysis.parsed.text;
  const offsets = new Set<number>();
  for (let i = 0; i < 8; i++) offsets.add(Math.floor((text.length * i) / 7));
  for (const step of analysis.runbook.steps.slice(0, 6)) {
    for (const field of [step.id, step.action, step.from, step.server])
      if (field) offsets.add(field.span.start + 1).add(field.keySpan?.start ?? 0);
  }
  return {
    diagnostics,
    simulatable: isSimulatable(analysis),
    runbook: JSON.parse(JSON.stringify(analysis.runbook)),
    symbols: documentSymbols(analysis),
    folding: foldingRanges(text),
    lenses: codeLenses(analysis, { simulating: false }),
    actions: codeActions(analysis, diagnostics),
    hovers: [...offsets].map((offset) => hover(analysis, offset, { diagnostics })),
  };
}

/** The analyzer's result, checking that its features asked for no whole-text parse when it was incremental. */
function fromAnalyzer(analyzer: IncrementalAnalyzer, text: string, options: LintOptions) {
  const analysis = analyzer.update(text, options);
  const before = analyzer.wholeParses.count;
  const seen = observable(analysis, options);
  if (analyzer.lastUpdate === 'incremental') assert.equal(analyzer.wholeParses.count, before, 'a feature parsed the whole text');
  return seen;
}

type Random = () => number;
type Edit = (text: string, random: Random) => string;

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)];
const position = (text: string, random: Random) => Math.floor(random() * (text.length + 1));

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** Offsets of `  - ` item lines under `steps:`. */
function stepItemStarts(text: string): number[] {
  const stepsAt = text.indexOf('\nsteps:');
  return lineStarts(text).filter((start) => start > stepsAt && stepsAt >= 0 && text.startsWith('  - ', start));
}

function replace(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

const CHARACTERS = [
  'a',
  'Z',
  '7',
  '0',
  ' ',
  ':',
  '-',
  '#',
  '\n',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ',',
  '&',
  '*',
  '\t',
  '|',
  '!',
  '%',
  'é',
  '\r\n',
];

const EDITS: Record<string, Edit> = {
  insertCharacter: (text, random) => {
    const at = position(text, random);
    return replace(text, at, at, pick(random, CHARACTERS));
  },
  deleteRange: (text, random) => {
    const at = position(text, random);
    return replace(text, at, Math.min(text.length, at + 1 + Math.floor(random() * 12)), '');
  },
  typeInsideStep: (text, random) => {
    // A one-character change inside a step value: the edit the targets are about.
    const items = stepItemStarts(text);
    if (items.length === 0) return text;
    const start = pick(random, items);
    const lineEnd = text.indexOf('\n', start);
    const valueStart = text.indexOf(': ', start) + 2;
    if (valueStart < 2 || valueStart > lineEnd) return text;
    const at = valueStart + Math.floor(random() * (lineEnd - valueStart + 1));
    return replace(text, at, at, pick(random, ['x', '1', '7']));
  },
  indentLine: (text, random) => {
    const start = pick(random, lineStarts(text));
    return random() < 0.5 ? replace(text, start, start, '  ') : text.startsWith('  ', start) ? replace(text, start, start + 2, '') : text;
  },
  addStep: (text, random) => {
    const items = stepItemStarts(text);
    const at = items.length > 0 && random() < 0.8 ? pick(random, items) : text.length;
    const id = `added-${Math.floor(random() * 1000)}`;
    const step = pick(random, [
      `  - id: ${id}\n    action: reboot\n    server: EXCH0${1 + Math.floor(random() * 4)}\n`,
      `  - id: ${id}\n    action: install-hotfix\n    server: EXCH02\n    hotfix: KB924567\n`,
      `  - id: ${id}\n    action: move-mailboxes\n    from: EXCH01\n    to: EXCH03\n    mailboxes: ` +
        `{ count: 40, averageSizeMB: 300 }\n    concurrency: 4\n`,
      `  # exrunbook-disable-next-line EXR003\n  - id: ${id}\n    action: wait\n    duration: 2h\n`,
      `  - action: wait\n    duration: 90q\n`,
      `  - id: ${id}\n    action: wait\n    start: 2026-02-31T22:00:00Z\n    duration: P\n`,
      // Items that are not mappings still take their place in the steps (and broke EXR003 once).
      '  - just text\n',
      '  -\n',
    ]);
    const prefix = at === text.length && !text.endsWith('\n') ? '\n' : '';
    return replace(text, at, at, prefix + step);
  },
  duplicateStep: (text, random) => {
    // Identical neighbours: records of equal length must not be mistaken for one another when shifted.
    const items = stepItemStarts(text);
    if (items.length === 0) return text;
    const index = Math.floor(random() * items.length);
    const item = text.slice(items[index], items[index + 1] ?? text.length);
    return replace(text, items[index], items[index], item.endsWith('\n') ? item : item + '\n');
  },
  removeStep: (text, random) => {
    const items = stepItemStarts(text);
    if (items.length === 0) return text;
    const index = Math.floor(random() * items.length);
    return replace(text, items[index], items[index + 1] ?? text.length, '');
  },
  editServers: (text, random) => {
    const choices: [RegExp, string][] = [
      [/EXCH0[1-4]\n/, `${pick(random, ['EXCH09', 'exch01', 'EXCH-01', 'EXCH0'])}\n`],
      [/exchange: 2003/, `exchange: ${pick(random, ['2007', '2000', '"2003"', '2003.5'])}`],
      [/servicePack: 2/, `servicePack: ${pick(random, ['1', '3', '9'])}`],
      [/service: disabled/, 'service: running'],
      [/hotfixes: \[KB924567\]/, 'hotfixes: [KB924567, KB1]'],
      [/servers:\n/, 'servers:\n  - name: NEW01\n    exchange: 2003\n    servicePack: 2\n'],
    ];
    const [pattern, replacement] = pick(random, choices);
    return text.replace(pattern, replacement);
  },
  editStepValue: (text, random) => {
    const choices: [RegExp, string][] = [
      [/action: wait/, `action: ${pick(random, ['reboot', 'wiat', 'move-mailboxes'])}`],
      [/concurrency: \d+/, `concurrency: ${pick(random, ['0', '17', 'four', '3'])}`],
      [/id: step-(\d+)/, `id: step-${Math.floor(random() * 5)}`],
      [/id: step-\d+\n/, 'id: Step_Bad\n'],
      [/server: EXCH\d+/, 'server: EXCH77'],
      [/duration: \d+m/, `duration: ${pick(random, ['0m', 'PT2H', 'soon'])}`],
    ];
    const [pattern, replacement] = pick(random, choices);
    return text.replace(pattern, replacement);
  },
  breakYaml: (text, random) => {
    const at = position(text, random);
    return replace(text, at, at, pick(random, ['"', ': : x', '\n  - id: [', '\n---\n', '&a ', '*a', '\n\tx: 1']));
  },
};
const EDIT_NAMES = Object.keys(EDITS);

describe('IncrementalAnalyzer equals a full analysis', function () {
  this.timeout(180_000);

  it('after random edit sequences on generated runbooks', () => {
    const options: LintOptions = { severities: { EXR007: 'off' } };
    let comparisons = 0;
    let incremental = 0;
    for (let seed = 1; seed <= 16; seed++) {
      const random = seededRandom(seed * 7919);
      let text = generateRunbook({ steps: 20 + Math.floor(random() * 40), servers: 4 + (seed % 4), seed });
      // Some runbooks keep a block after `steps`: it moves with every edit above it.
      const simulation = 'simulation:\n  seed: 7\n  flushTimeout: 150m\n';
      if (seed % 3 === 0) text = text.replace(`\n${simulation}`, '\n') + simulation;
      const analyzer = new IncrementalAnalyzer();
      const history: string[] = [text];
      let broken = false;
      for (let round = 0; round < 30; round++) {
        const name = pick(random, EDIT_NAMES);
        // Typing passes through broken YAML and back: undo most edits that broke it.
        if (broken && history.length > 1 && random() < 0.7) {
          history.pop();
          text = history[history.length - 1];
        } else {
          text = EDITS[name](text, random);
          history.push(text);
        }
        const incrementalSeen = fromAnalyzer(analyzer, text, options);
        const fullAnalysis = analyze(text, options);
        broken = fullAnalysis.findings.some((finding) => finding.code === 'EXR101');
        const full = observable(fullAnalysis, options);
        assert.deepEqual(incrementalSeen, full, `seed ${seed}, round ${round} (${name}); text:\n${text}`);
        comparisons++;
        if (analyzer.lastUpdate === 'incremental') incremental++;
      }
    }
    assert.equal(comparisons, 16 * 30);
    // Most edits keep the text splittable: the comparison must exercise the incremental path, not only the fallback.
    assert.ok(incremental > comparisons / 3, `${incremental} of ${comparisons} updates were incremental`);
  });

  it('after many one-character edits inside steps of a larger runbook', () => {
    const random = seededRandom(42);
    let text = generateRunbook({ steps: 200, seed: 5 });
    const analyzer = new IncrementalAnalyzer();
    for (let round = 0; round < 30; round++) {
      text = EDITS.typeInsideStep(text, random);
      assert.deepEqual(fromAnalyzer(analyzer, text, {}), observable(analyze(text, {}), {}), `round ${round}`);
      if (round > 0) assert.equal(analyzer.lastUpdate, 'incremental', `round ${round}`);
    }
  });

  it('with moves that read mailbox list files, after steps inserted, removed and edited around them', () => {
    // A list file's `mailboxes` takes the span of its `file` value: one span object, shifted once.
    const random = seededRandom(4242);
    const options: LintOptions = { mailboxFiles: { 'wave1.csv': { text: 'name,sizeMB\nann,300\nbob,700\n' } } };
    const move = (n: number) =>
      `  - id: listed-${n}\n    action: move-mailboxes\n    from: EXCH01\n    to: EXCH02\n    mailboxes: { file: wave1.csv }\n`;
    let text = generateRunbook({ steps: 30, servers: 4, seed: 21 });
    const items = stepItemStarts(text);
    text = replace(text, items[20], items[20], move(2));
    text = replace(text, items[10], items[10], move(1));
    const analyzer = new IncrementalAnalyzer();
    for (let round = 0; round < 40; round++) {
      text = pick(random, [EDITS.addStep, EDITS.removeStep, EDITS.typeInsideStep, EDITS.duplicateStep])(text, random);
      assert.deepEqual(fromAnalyzer(analyzer, text, options), observable(analyze(text, options), options), `round ${round}`);
    }
  });

  it('after duplicating one of many steps of the same length (shifted records must not pass for later ones)', () => {
    const head = 'runbook: 1\nname: Same lengths\nservers:\n  - name: EXCH01\n    exchange: 2003\nsteps:\n';
    const line = (n: number) => `  - { id: s${n}, action: reboot, server: EXCH0${n % 3}, start: 2026-02-30T00:00:00Z }\n`;
    const lines = Array.from({ length: 30 }, (_, i) => line(10 + i));
    const before = head + lines.join('');
    for (const at of [0, 7, 29]) {
      const after = head + [...lines.slice(0, at), lines[at], ...lines.slice(at)].join('');
      const analyzer = new IncrementalAnalyzer();
      analyzer.update(before);
      assert.deepEqual(observable(analyzer.update(after), {}), observable(analyze(after), {}), `duplicated line ${at}`);
      assert.equal(analyzer.lastUpdate, 'incremental');
    }
  });

  it('keeps the other pieces while one is broken, so the edit that repairs it is incremental', () => {
    const text = generateRunbook({ steps: 30, seed: 9 });
    const broken = text.replace('id: step-12\n', 'id: step-12\n    title: "unclosed\n');
    const analyzer = new IncrementalAnalyzer();
    analyzer.update(text);
    assert.deepEqual(observable(analyzer.update(broken), {}), observable(analyze(broken), {}));
    assert.equal(analyzer.lastUpdate, 'full');
    assert.deepEqual(observable(analyzer.update(text), {}), observable(analyze(text), {}));
    assert.equal(analyzer.lastUpdate, 'incremental');
  });

  it('for texts it cannot split (anchors, flow steps, tabs, several documents, CRLF)', () => {
    const base = generateRunbook({ steps: 12, servers: 3, seed: 3 });
    const variants = [
      base.replace('  - name: EXCH01', '  - &first\n    name: EXCH01').replace('steps:\n', 'steps:\n  - *first\n'),
      base.replace(/steps:\n[\s\S]*$/, 'steps: [{ id: a, action: wait, duration: 1h }, { id: b, action: reboot, server: EXCH01 }]\n'),
      base.replace('    action:', '\taction:'),
      base + '---\nrunbook: 1\n',
      base.replace(/\n/g, '\r\n'),
      '',
      '# only a comment\n',
      'steps:\n- id: a\n  action: reboot\n  server: X\n',
    ];
    const analyzer = new IncrementalAnalyzer();
    for (const text of variants) {
      assert.deepEqual(observable(analyzer.update(text, {}), {}), observable(analyze(text, {}), {}), text);
    }
  });

  it("lintOnce (the CLI's lint: the analyzer's pieces through the subset reader) equals lintText on the examples and the hostile corpus", () => {
    const examplesDir = resolve(__dirname, '..', '..', '..', '..', 'examples');
    const texts = readdirSync(examplesDir)
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => readFileSync(resolve(examplesDir, name), 'utf8'));
    for (const hostile of hostileCorpus()) if (!hostile.large) texts.push(hostile.text());
    texts.push(generateRunbook({ steps: 300, seed: 12 }));
    for (const text of texts) {
      const once = lintOnce(text);
      const whole = lintText(text);
      assert.deepEqual(once.diagnostics, whole.diagnostics, text.slice(0, 200));
      assert.equal(once.simulatable, whole.simulatable);
      assert.deepEqual(JSON.parse(JSON.stringify(once.runbook)), JSON.parse(JSON.stringify(whole.runbook)));
    }
  });
});
