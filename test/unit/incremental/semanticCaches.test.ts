import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateRunbook, seededRandom } from '../../../bench/runbookGenerator';
import { IncrementalAnalyzer } from '../../../src/core/incremental/incrementalAnalyzer';
import type { Finding } from '../../../src/core/diagnostics';
import { analyze, toDiagnostics, type Analysis, type DiagnosticsOptions, type LintOptions } from '../../../src/core/lint';
import { sameState, StateCache, statesThroughSteps } from '../../../src/core/model/state';
import { exr003Memo } from '../../../src/core/rules/exr003';
import { exr014Memo } from '../../../src/core/rules/exr014';
import type { ServerState } from '../../../src/core/model/types';

/**
 * The caches of the semantic pass (ARCHITECTURE.md, src/core/incremental): state through the steps
 * (StateCache), each step's findings (lint.ts, rules with checkStep) and each finding's diagnostic.
 * Each must give what a full analysis gives, findings in the same order, and must reuse what the
 * edit did not touch.
 */

const EXAMPLE = readFileSync(resolve(__dirname, '../../../../examples/storage-groups.runbook.yaml'), 'utf8');

/** Every state before every step, as plain data. */
function statesOf(analysis: Analysis) {
  const timeline = analysis.context!.states;
  const plain = (state: ServerState) => ({ ...state, hotfixes: [...state.hotfixes], databases: state.databases && [...state.databases] });
  return {
    before: timeline.before.map((states) => [...states].map(([key, state]) => [key, plain(state)])),
    after: [...timeline.after].map(([key, state]) => [key, plain(state)]),
  };
}

/** The analyzer's result after `text` equals analyze()'s: findings (in order), diagnostics, states. */
function expectFull(analyzer: IncrementalAnalyzer, text: string, options: LintOptions = {}): Analysis {
  const analysis = analyzer.update(text, options);
  assert.equal(analyzer.lastUpdate, 'incremental');
  const full = analyze(text, options);
  // As data (the analyzer's schema findings carry `related: undefined` where the parser's have none).
  const plain = (findings: unknown) => JSON.parse(JSON.stringify(findings)) as unknown;
  assert.deepEqual(plain(analysis.findings), plain(full.findings));
  assert.deepEqual(toDiagnostics(analysis, options), toDiagnostics(full, options));
  assert.deepEqual(statesOf(analysis), statesOf(full));
  assert.deepEqual(analysis.context!.schedule, full.context!.schedule);
  return analysis;
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)];

function stepStart(text: string, n: number): number {
  let at = text.indexOf('\nsteps:\n');
  for (let i = 0; i <= n; i++) at = text.indexOf('\n  - ', at + 1);
  return at + 1;
}

/** The text without step `n` (the text as it is when that step is the last). */
function withoutStep(text: string, n: number): string {
  const at = stepStart(text, n);
  const end = text.indexOf('\n  - ', at + 1);
  return end < 0 ? text : text.slice(0, at) + text.slice(end + 1);
}

describe('the semantic caches', () => {
  it('sameState compares states field by field', () => {
    const runbook = analyze(EXAMPLE).runbook;
    const a = statesThroughSteps(runbook).after.get('EXCH01')!;
    const b = statesThroughSteps(runbook).after.get('EXCH01')!;
    assert.notEqual(a, b);
    assert.ok(sameState(a, b));
    assert.ok(!sameState(a, { ...a, gatewayOutThreads: 1 }));
    assert.ok(!sameState(a, { ...a, hotfixes: new Set([...a.hotfixes, 'KB1']) }));
    const databases = new Map(a.databases);
    const [key, db] = [...databases][0];
    databases.set(key, { ...db, sizeGB: db.sizeGB + 1 });
    assert.ok(!sameState(a, { ...a, databases }));
  });

  it('StateCache: the same runbook gives the same state objects; a title edit keeps every other state object', () => {
    const cache = new StateCache();
    const runbook = analyze(EXAMPLE).runbook;
    const first = statesThroughSteps(runbook, cache);
    const second = statesThroughSteps(runbook, cache);
    first.before.forEach((states, i) => {
      for (const [key, state] of states) assert.equal(second.before[i].get(key), state);
    });

    const text = generateRunbook({ steps: 300, seed: 3 });
    const analyzer = new IncrementalAnalyzer();
    const before = analyzer.update(text).context!.states;
    const at = text.indexOf('    title: ', stepStart(text, 150)) + '    title: '.length;
    const after = expectFull(analyzer, text.slice(0, at) + 'x' + text.slice(at)).context!.states;
    let same = 0;
    let all = 0;
    after.before.forEach((states, i) => {
      for (const [key, state] of states) {
        all++;
        if (before.before[i].get(key) === state) same++;
      }
    });
    assert.ok(same > all * 0.95, `${same} of ${all} states kept`);
  });

  it('StateCache: inserting and deleting steps before a created database moves what it records', () => {
    const analyzer = new IncrementalAnalyzer();
    analyzer.update(EXAMPLE);
    const inserted = '  - id: pause\n    action: wait\n    duration: 10m\n';
    const withPause = EXAMPLE.slice(0, stepStart(EXAMPLE, 0)) + inserted + EXAMPLE.slice(stepStart(EXAMPLE, 0));
    expectFull(analyzer, withPause);
    expectFull(analyzer, EXAMPLE);
    expectFull(analyzer, EXAMPLE.replace('servicePack: 2\n    edition: enterprise', 'servicePack: 1\n    edition: enterprise'));
    expectFull(analyzer, EXAMPLE);
  });

  it('per-step findings: moved with their step, renumbered, and equal to a full analysis after random edits', () => {
    const random = seededRandom(11);
    let text = generateRunbook({ steps: 120, seed: 8 });
    const analyzer = new IncrementalAnalyzer();
    analyzer.update(text);
    const edits: ((text: string) => string)[] = [
      (t) => {
        const at = stepStart(t, Math.floor(random() * 100));
        return t.slice(0, at) + '  - action: reboot\n    server: EXCH03\n' + t.slice(at);
      },
      (t) => withoutStep(t, Math.floor(random() * 100)),
      (t) => t.replace(/from: EXCH0(\d)/, (_m, d: string) => `from: EXCH0${(Number(d) % 4) + 1}`),
      (t) => t.replace('flushTimeout: 150m', random() < 0.5 ? 'flushTimeout: 90m' : 'flushTimeout: 150m'),
      (t) => t.replace(/servicePack: [12]\n/, random() < 0.5 ? 'servicePack: 1\n' : 'servicePack: 2\n'),
      (t) => t.replace(/- name: EXCH0(\d)\n/, (_m, d: string) => `- name: exch0${d}\n`),
      (t) => t.replace(/ {2}- id: [\w-]+\n/, '  - title: no id any more\n'),
      // EXR011's index of ids: ids repeated, and repeated ids made unique again.
      (t) => t.replace(/id: step-\d+\n/, `id: step-${Math.floor(random() * 5)}\n`),
      (t) => t.replace(/id: step-[0-4]\n/, `id: fresh-${Math.floor(random() * 1e6)}\n`),
    ];
    for (let round = 0; round < 40; round++) {
      text = edits[Math.floor(random() * edits.length)](text);
      expectFull(analyzer, text);
    }
  });

  it('EXR003: after an edit that keeps every step and time, only the steps it may change are judged again', () => {
    const random = seededRandom(303);
    const base = generateRunbook({ steps: 300, seed: 2, servers: 6 });
    const analyzer = new IncrementalAnalyzer();
    assert.ok(analyzer.update(base).findings.some((finding) => finding.code === 'EXR003'));
    // Edits that move no step and change no time (titles, the services a restart names, ids, hotfixes, servers of non-moves).
    const edits: ((text: string) => string)[] = [
      (t) => {
        const at = t.indexOf('    title: ', stepStart(t, Math.floor(random() * 290)));
        return at < 0 ? t : t.slice(0, at + 11) + 'y' + t.slice(at + 11);
      },
      (t) => t.replace(/services: \[MSExchangeIS, MSSEARCH\]/, 'services: [MSSEARCH]'),
      (t) => t.replace(/services: \[MSSEARCH\]/, 'services: [MSExchangeIS, MSSEARCH]'),
      (t) => t.replace(/services: \[MSExchangeIS, MSSEARCH\]/, 'services: [W3SVC]'),
      (t) =>
        t.replace(
          /(action: (?:reboot|restart-services)\n(?:.*\n)??\s+server: EXCH)0(\d)/,
          (_m, head: string, d: string) => `${head}0${(Number(d) % 4) + 1}`,
        ),
      (t) => t.replace(/hotfix: KB924567/, 'hotfix: KB811111'),
      (t) => t.replace(/hotfix: KB811111/, 'hotfix: KB924567'),
      (t) => t.replace(/(- id: )(step-\d+)(\n {4}(?:title: .*\n {4})?action: (?:reboot|wait))/, '$1$2x$3'),
    ];
    let text = base;
    const judged: number[] = [];
    for (let round = 0; round < 40; round++) {
      expectFull(analyzer, (text = edits[Math.floor(random() * edits.length)](text)));
      judged.push(exr003Memo.judged);
    }
    // The edited step, and the steps up to the next one on its server (their state snapshot is another object).
    assert.ok(Math.max(...judged) < 60, `judged ${judged.join(' ')}`);
  });

  it('EXR003: steps and moves inserted, deleted, retimed and moved to another server give what a full analysis gives', () => {
    const random = seededRandom(3003);
    const server = () => `EXCH0${1 + Math.floor(random() * 3)}`;
    const start = () =>
      `    start: 2026-12-${String(1 + Math.floor(random() * 27)).padStart(2, '0')}T${10 + Math.floor(random() * 12)}:00:00Z\n`;
    const maybe = (line: string) => (random() < 0.5 ? line : '');
    const id = () => (random() < 0.5 ? `id: e${Math.floor(random() * 1e6)}\n    ` : '');
    // Few servers, long moves and explicit starts: many EXR003 findings; a third of the steps without an id (positional labels).
    let text = generateRunbook({ steps: 160, seed: 9, servers: 3 }).replace(/ {2}- id: step-(\d+)\n {4}/g, (whole, n: string) =>
      Number(n) % 3 === 0 ? '  - ' : whole,
    );
    const analyzer = new IncrementalAnalyzer();
    const first = expectFull(analyzer, text);
    assert.ok(first.findings.filter((finding) => finding.code === 'EXR003').length > 10);
    const edits: ((t: string) => string)[] = [
      (t) => {
        const at = stepStart(t, Math.floor(random() * 150));
        const step = pick([
          `  - ${id()}action: reboot\n    server: ${server()}\n${maybe(start())}`,
          `  - ${id()}action: restart-services\n    server: ${server()}\n    services: [MSExchangeIS]\n${maybe(start())}`,
          `  - ${id()}action: install-hotfix\n    server: ${server()}\n    hotfix: KB924567\n`,
          `  - ${id()}action: move-mailboxes\n    from: ${server()}\n    to: ${server()}\n    mailboxes: { count: ${1 + Math.floor(random() * 300)}, averageSizeMB: 200 }\n    concurrency: 2\n${maybe(start())}`,
          `  - ${id()}action: wait\n    duration: ${1 + Math.floor(random() * 600)}m\n`,
        ]);
        return t.slice(0, at) + step + t.slice(at);
      },
      (t) => {
        const n = Math.floor(random() * 150);
        return t.slice(0, stepStart(t, n)) + t.slice(stepStart(t, n + 1));
      },
      (t) => {
        const n = Math.floor(random() * 150);
        const item = t.slice(stepStart(t, n), stepStart(t, n + 1));
        return t.slice(0, stepStart(t, n)) + item + t.slice(stepStart(t, n));
      },
      (t) => replaceNth(t, /from: EXCH0\d/g, () => `from: ${server()}`),
      (t) => replaceNth(t, /to: EXCH0\d/g, () => `to: ${server()}`),
      (t) => replaceNth(t, /server: EXCH0\d/g, () => `server: ${server()}`),
      (t) => replaceNth(t, / {4}start: .*\n/g, () => start()),
      (t) => replaceNth(t, /count: \d+/g, () => `count: ${1 + Math.floor(random() * 400)}`),
      (t) => replaceNth(t, /duration: \d+m/g, () => `duration: ${1 + Math.floor(random() * 600)}m`),
      (t) => replaceNth(t, /services: \[MSExchangeIS, MSSEARCH\]/g, () => 'services: [MSSEARCH]'),
      (t) => t.replace(/name: EXCH02/, random() < 0.5 ? 'name: Exch02' : 'name: EXCH02'),
    ];
    function pick<T>(list: T[]): T {
      return list[Math.floor(random() * list.length)];
    }
    function replaceNth(t: string, pattern: RegExp, by: () => string): string {
      const matches = [...t.matchAll(pattern)];
      if (matches.length === 0) return t;
      const match = pick(matches);
      return t.slice(0, match.index) + by() + t.slice(match.index! + match[0].length);
    }
    for (let round = 0; round < 120; round++) {
      expectFull(analyzer, (text = pick(edits)(text)));
    }
  });

  it('EXR014: databases created and set, the MTA set, steps inserted, deleted and moved, servers renamed give what a full analysis gives', () => {
    const random = seededRandom(1414);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const server = () => `EXCH0${1 + Math.floor(random() * 4)}`;
    const zeroOrOne = () => (random() < 0.5 ? 0 : 1);
    const id = () => (random() < 0.6 ? `id: g${Math.floor(random() * 1e6)}\n    ` : '');
    const database = () => pick(['Mailbox Store', 'Public Folder Store', 'Archive', 'Sales', 'mailbox store']);
    const gateway = () =>
      (random() < 0.5 ? `    gatewayInThreads: ${zeroOrOne()}\n` : '') + (random() < 0.5 ? `    gatewayOutThreads: ${zeroOrOne()}\n` : '');
    const steps = [
      () =>
        `  - ${id()}action: set-mta\n    server: ${server()}\n    service: ${pick(['disabled', 'running'])}\n    gatewayOutThreads: ${zeroOrOne()}\n`,
      () => `  - ${id()}action: set-mta\n    server: ${server()}\n    gatewayOutThreads: ${zeroOrOne()}\n`,
      () => `  - ${id()}action: set-database\n    server: ${server()}\n    database: ${database()}\n${gateway()}`,
      () =>
        `  - ${id()}action: create-database\n    server: ${server()}\n    storageGroup: SG${Math.floor(random() * 3)}\n    database: ${database()}\n${gateway()}`,
      () =>
        `  - ${id()}action: move-mailboxes\n    from: ${server()}\n    to: ${server()}\n    mailboxes: { count: ${1 + Math.floor(random() * 50)}, averageSizeMB: 100 }\n`,
      () => `  - ${id()}action: reboot\n    server: ${server()}\n`,
      () => `  - ${id()}action: install-service-pack\n    server: ${server()}\n    servicePack: 2\n`,
      // A step that names a server and a move's ends: its findings are about all three.
      () => `  - ${id()}action: set-mta\n    server: ${server()}\n    from: ${server()}\n    to: ${server()}\n    service: disabled\n`,
      () => `  - ${id()}action: wait\n    duration: 5m\n`,
    ];
    const serverBlock = (n: number, exchange: number) =>
      `  - name: EXCH0${n}\n    exchange: ${exchange}\n    servicePack: 2\n` +
      `    mta:\n      service: ${n % 2 ? 'disabled' : 'running'}\n      gatewayOutThreads: ${n % 3 ? 0 : 1}\n` +
      `    storageGroups:\n      - name: First Storage Group\n        databases:\n` +
      `          - name: Mailbox Store\n            gatewayInThreads: ${n % 2}\n            gatewayOutThreads: 0\n` +
      `          - name: Public Folder Store\n            kind: public\n`;
    let text =
      'runbook: 1\nname: KB810489 at random\nservers:\n' +
      serverBlock(1, 2003) +
      serverBlock(2, 2003) +
      serverBlock(3, 2000) +
      `  - name: EXCH04\n    exchange: 2003\n    servicePack: 2\n` +
      'steps:\n' +
      Array.from({ length: 80 }, () => pick(steps)()).join('');
    const count = () => stepCount(text);
    const stepCount = (t: string) => t.slice(t.indexOf('\nsteps:\n')).split('\n  - ').length - 1;
    const analyzer = new IncrementalAnalyzer();
    analyzer.update(text);
    assert.ok(expectFull(analyzer, text).findings.filter((finding) => finding.code === 'EXR014').length > 5);
    const replaceNth = (t: string, pattern: RegExp, by: () => string): string => {
      const matches = [...t.matchAll(pattern)];
      if (matches.length === 0) return t;
      const match = pick(matches);
      return t.slice(0, match.index) + by() + t.slice(match.index! + match[0].length);
    };
    const edits: ((t: string) => string)[] = [
      (t) => {
        const at = stepStart(t, Math.floor(random() * count()));
        return t.slice(0, at) + pick(steps)() + t.slice(at);
      },
      (t) => {
        const n = Math.floor(random() * (count() - 1));
        return t.slice(0, stepStart(t, n)) + t.slice(stepStart(t, n + 1));
      },
      (t) => {
        // A step moved elsewhere in the list.
        const n = Math.floor(random() * (count() - 1));
        const item = t.slice(stepStart(t, n), stepStart(t, n + 1));
        const rest = t.slice(0, stepStart(t, n)) + t.slice(stepStart(t, n + 1));
        const at = stepStart(rest, Math.floor(random() * (count() - 2)));
        return rest.slice(0, at) + item + rest.slice(at);
      },
      (t) => replaceNth(t, /server: EXCH0\d/g, () => `server: ${server()}`),
      (t) => replaceNth(t, /from: EXCH0\d/g, () => `from: ${server()}`),
      (t) => replaceNth(t, /to: EXCH0\d/g, () => `to: ${server()}`),
      (t) => replaceNth(t, /Threads: \d/g, () => `Threads: ${zeroOrOne()}`),
      (t) => replaceNth(t, /^ {4}gateway(In|Out)Threads: \d\n/gm, () => ''),
      (t) => replaceNth(t, /service: (disabled|running)/g, () => `service: ${pick(['disabled', 'running'])}`),
      (t) => replaceNth(t, /database: [\w ]+\n/g, () => `database: ${database()}\n`),
      (t) => replaceNth(t, /count: \d+/g, () => `count: ${1 + Math.floor(random() * 50)}`),
      (t) => replaceNth(t, /exchange: 200[03]/g, () => `exchange: ${pick([2000, 2003])}`),
      (t) => replaceNth(t, /name: (EXCH|Exch)0[12]\n/g, () => `name: ${pick(['EXCH', 'Exch'])}0${1 + Math.floor(random() * 2)}\n`),
      (t) => replaceNth(t, / {2}- id: g\d+\n {4}/g, () => '  - '),
      (t) => replaceNth(t, /action: (set-mta|reboot)\n/g, () => `action: ${pick(['set-mta', 'reboot'])}\n`),
    ];
    for (let round = 0; round < 200; round++) expectFull(analyzer, (text = pick(edits)(text)));
  });

  it('EXR014: an edit judges again only the steps whose servers it changes, and keeps the other findings', () => {
    const databases = (n: number) =>
      `    storageGroups:\n      - name: SG\n        databases:\n          - name: DB${n}\n            gatewayOutThreads: 0\n`;
    const servers = [1, 2, 3].map((n) => `  - name: EXCH0${n}\n    exchange: 2003\n    servicePack: 2\n${databases(n)}`).join('');
    // Per server: the MTA disabled (DB n falls short), set right, then a database created that falls short.
    const stepsOf = (n: number) =>
      `  - id: off-${n}\n    title: MTA off\n    action: set-mta\n    server: EXCH0${n}\n    service: disabled\n` +
      `  - id: fix-${n}\n    action: set-database\n    server: EXCH0${n}\n    database: DB${n}\n    gatewayInThreads: 0\n` +
      `  - id: more-${n}\n    action: set-database\n    server: EXCH0${n}\n    database: DB${n}\n    gatewayOutThreads: 1\n`;
    const base = `runbook: 1\nname: kept\nservers:\n${servers}steps:\n${stepsOf(1)}${stepsOf(2)}${stepsOf(3)}`;
    const analyzer = new IncrementalAnalyzer();
    const exr014 = (analysis: Analysis) => analysis.findings.filter((finding) => finding.code === 'EXR014');
    const before = exr014(analyzer.update(base));
    assert.equal(before.length, 6);
    // A title: that step alone.
    const at = base.indexOf('title: MTA off', stepStart(base, 3)) + 'title: '.length;
    const titledText = base.slice(0, at) + 'x' + base.slice(at);
    const titled = exr014(expectFull(analyzer, titledText));
    assert.equal(exr014Memo.judged, 1);
    // The edited step's finding is new (its step is another object), the others the same objects.
    assert.equal(titled.filter((finding, i) => finding === before[i]).length, 5);
    // A wait inserted after the first step: the verdicts kept (the step after it is parsed again), the later ones
    // moved: new data, each fix naming its step's new index.
    const inserted =
      titledText.slice(0, stepStart(titledText, 1)) +
      '  - id: pause\n    action: wait\n    duration: 10m\n' +
      titledText.slice(stepStart(titledText, 1));
    const datas = titled.map((finding) => finding.data);
    const moved = exr014(expectFull(analyzer, inserted));
    assert.equal(exr014Memo.judged, 1);
    moved.forEach((finding, i) => {
      assert.equal(finding, titled[i]);
      if (i === 0) assert.equal(finding.data, datas[i]);
      else assert.notEqual(finding.data, datas[i]);
    });
    // EXCH02's MTA left running: its steps judged again, the others' findings kept.
    const running = exr014(
      expectFull(analyzer, inserted.replace('server: EXCH02\n    service: disabled', 'server: EXCH02\n    service: running')),
    );
    assert.equal(exr014Memo.judged, 3);
    assert.equal(running.length, 4);
    assert.ok(running.every((finding) => moved.includes(finding)));
  });

  it('per-step findings: a step inserted before keeps the later findings, moved', () => {
    const text = generateRunbook({ steps: 200, seed: 4 });
    const analyzer = new IncrementalAnalyzer();
    const before = new Set(analyzer.update(text).findings);
    const at = stepStart(text, 20);
    const after = expectFull(analyzer, text.slice(0, at) + '  - id: extra\n    action: wait\n    duration: 5m\n' + text.slice(at));
    const kept = after.findings.filter((finding) => before.has(finding));
    const fromSteps = after.findings.filter((finding) => ['EXR001', 'EXR002', 'EXR004', 'EXR013', 'EXR016'].includes(finding.code));
    assert.ok(kept.length >= fromSteps.length - 2, `${kept.length} of ${fromSteps.length} per-step findings kept`);
  });

  it('per-step findings: lists spliced around the edit equal a full analysis (edits before and after the steps, positional steps, list files)', () => {
    const random = seededRandom(29);
    // Every third step without an id (positional labels, asked again when they move) and one step reading a list file.
    let text = generateRunbook({ steps: 160, seed: 12 })
      .replace(/ {2}- id: step-(\d+)\n/g, (line, n: string) => (Number(n) % 3 === 0 ? '  -\n' : line))
      .replace(/\n {4}- \n/g, '\n')
      .replace(/mailboxes: \{ count: \d+, averageSizeMB: \d+ \}/, 'mailboxes: { file: sales.csv }');
    text = text.replace(/\n {2}-\n {4}/g, '\n  - ');
    const options: LintOptions = { mailboxFiles: { 'sales.csv': { text: 'a,100\nb,20000\n' } } };
    const analyzer = new IncrementalAnalyzer();
    expectFull(analyzer, text, options);
    const edits: ((text: string) => string)[] = [
      // A step inserted or deleted, with or without an id.
      (t) => {
        const at = stepStart(t, Math.floor(random() * 120));
        const id = random() < 0.5 ? `    id: new-${Math.floor(random() * 1e6)}\n` : '';
        return t.slice(0, at) + '  - action: reboot\n' + id + '    server: EXCH03\n' + t.slice(at);
      },
      (t) => withoutStep(t, Math.floor(random() * 120)),
      // Many steps without an id at once (more than are spliced one by one).
      (t) => t.replace(/ {2}- id: step-\d+\n {4}/g, (line) => (random() < 0.3 ? '  - ' : line)),
      // Text before the steps (every step moves, none changes) and after them.
      (t) => t.replace(/^name: .*$/m, `name: Renamed ${'x'.repeat(Math.floor(random() * 5))}`),
      (t) => (t.endsWith('# end\n') ? t.slice(0, -'# end\n'.length) : `${t}# end\n`),
      (t) => t.replace(/title: .*\n/, (line) => line.replace('title: ', 'title: x')),
    ];
    for (let round = 0; round < 40; round++) {
      text = edits[Math.floor(random() * edits.length)](text);
      expectFull(analyzer, text, options);
    }
  });

  it('per-step findings: mailbox list files read again change the findings that read them', () => {
    const text = EXAMPLE.replace('mailboxes: { count: 25, averageSizeMB: 160 }', 'mailboxes: { file: sales.csv }');
    const analyzer = new IncrementalAnalyzer();
    for (const rows of ['a,100\n', 'a,100\nb,20000\n', 'a,100\n']) {
      const options: LintOptions = { mailboxFiles: { 'sales.csv': { text: rows } } };
      expectFull(analyzer, text, options);
    }
  });

  it('schedule: the same object after a title edit, built again when a duration, a start or an assumption changes', () => {
    const text = generateRunbook({ steps: 200, seed: 9 });
    const analyzer = new IncrementalAnalyzer();
    const first = analyzer.update(text).context!.schedule;
    const at = text.indexOf('    title: ', stepStart(text, 100)) + '    title: '.length;
    assert.equal(expectFull(analyzer, text.slice(0, at) + 'x' + text.slice(at)).context!.schedule, first);
    expectFull(analyzer, text.replace(/mailboxes: \{ count: \d+/, 'mailboxes: { count: 999'));
    expectFull(analyzer, text.replace(/duration: \d+m/, 'duration: 600m'));
    expectFull(analyzer, text.replace(/start: 20/, 'start: 19'));
    expectFull(analyzer, text, { assumptions: { rebootMinutes: 77, moveThroughputMBPerMinute: 3 } });
    expectFull(analyzer, text);
  });

  it('diagnostics: kept per document across edits and calls with other options (severities, suppressions, extra findings)', () => {
    const random = seededRandom(21);
    let text = generateRunbook({ steps: 150, seed: 12 });
    const analyzer = new IncrementalAnalyzer();
    analyzer.update(text);
    const extra = (analysis: Analysis): Finding[] =>
      analysis.runbook.steps
        .filter((step) => step.index % 7 === 3)
        .map((step) => ({ code: 'EXR005', span: { start: step.itemStart, end: step.itemStart + 4 }, message: `flush ${step.index}` }));
    const optionSets: DiagnosticsOptions[] = [
      {},
      { severities: { EXR016: 'hint', EXR002: 'off' } },
      { pendingCodes: ['EXR005'] },
      { extraFindings: [] },
    ];
    const edits: ((text: string) => string)[] = [
      (t) => {
        const at = t.indexOf('    title: ', stepStart(t, Math.floor(random() * 140)));
        return at < 0 ? t : t.slice(0, at + 11) + 'z' + t.slice(at + 11);
      },
      (t) => {
        const at = stepStart(t, Math.floor(random() * 140));
        return t.slice(0, at) + '  - action: reboot\n    server: EXCH02\n' + t.slice(at);
      },
      (t) => withoutStep(t, Math.floor(random() * 140)),
      (t) => {
        const at = stepStart(t, Math.floor(random() * 140));
        return t.slice(0, at) + `  # exrunbook-disable-next-line ${random() < 0.5 ? 'EXR016, EXR002' : ''}\n` + t.slice(at);
      },
      (t) => t.replace(/ {2}# exrunbook-disable-next-line.*\n/, ''),
      (t) => {
        const at = stepStart(t, Math.floor(random() * 140));
        return t.slice(0, at) + '  # a comment\n\n' + t.slice(at);
      },
      (t) => t.replace(/from: EXCH0(\d)/, (_m, d: string) => `from: EXCH0${(Number(d) % 4) + 1}`),
    ];
    for (let round = 0; round < 40; round++) {
      text = edits[Math.floor(random() * edits.length)](text);
      const analysis = analyzer.update(text);
      assert.equal(analyzer.lastUpdate, 'incremental');
      const full = analyze(text);
      // Several calls per analysis, as the extension makes (again once the simulation's findings are in).
      for (let call = 0; call < 3; call++) {
        const options = pick(random, optionSets);
        const withExtra = random() < 0.4;
        const expected = toDiagnostics(full, withExtra ? { ...options, extraFindings: extra(full) } : options);
        assert.deepEqual(toDiagnostics(analysis, withExtra ? { ...options, extraFindings: extra(analysis) } : options), expected);
      }
    }
  });

  it('diagnostics: one handed out is never changed by a later edit', () => {
    const text = generateRunbook({ steps: 120, seed: 5 });
    const analyzer = new IncrementalAnalyzer();
    const first = toDiagnostics(analyzer.update(text));
    const copy = JSON.parse(JSON.stringify(first)) as unknown;
    const at = stepStart(text, 40);
    toDiagnostics(analyzer.update(text.slice(0, at) + '  - id: extra\n    action: wait\n    duration: 5m\n' + text.slice(at)));
    toDiagnostics(analyzer.update(text.slice(0, at + 12) + 'x' + text.slice(at + 12)));
    assert.deepEqual(JSON.parse(JSON.stringify(first)), copy);
  });

  it('diagnostics: unchanged findings give the same diagnostics, moved ones the moved ranges', () => {
    const text = generateRunbook({ steps: 200, seed: 6 });
    const analyzer = new IncrementalAnalyzer();
    const first = toDiagnostics(analyzer.update(text));
    const again = toDiagnostics(analyzer.update(text));
    assert.deepEqual(again, first);
    assert.ok(again.filter((d, i) => d === first[i]).length > first.length / 2);
    const at = stepStart(text, 100);
    const edited = text.slice(0, at) + '  # a comment\n\n' + text.slice(at);
    assert.deepEqual(toDiagnostics(analyzer.update(edited)), toDiagnostics(analyze(edited)));
    assert.deepEqual(
      toDiagnostics(analyzer.update(text), { severities: { EXR016: 'hint' } }),
      toDiagnostics(analyze(text), { severities: { EXR016: 'hint' } }),
    );
  });
});
