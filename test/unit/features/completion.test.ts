import assert from 'node:assert/strict';
import { completions } from '../../../src/core/features';
import { analyze } from '../../../src/core/lint';
import { ACTIONS } from '../../../src/core/model/actions';
import { readExample } from '../../support';

/** Completions at the `|` in the text (removed before completing), with the analysis of that very text. */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  return { text, offset, items: completions(text, offset, analyze(text)) };
}

const labels = (items: { label: string }[]) => items.map((item) => item.label);
/** The field and value items (not the whole-item snippets offered beside them). */
const fieldLabels = (items: { label: string; kind: string }[]) => labels(items.filter((item) => item.kind !== 'snippet'));

const HEAD =
  'runbook: 1\nname: n\nservers:\n  - name: EXCH01\n    exchange: 2003\n    servicePack: 2\n  - name: exch02\n    exchange: 2003\n';

describe('completion', () => {
  it('action names with their one-line descriptions after `action: ` with nothing after it', () => {
    const { items } = at(HEAD + 'steps:\n  - id: a\n    action: |\n');
    assert.deepEqual(labels(items), [
      'move-mailboxes',
      'install-hotfix',
      'install-service-pack',
      'set-mta',
      'restart-services',
      'reboot',
      'wait',
      'create-database',
      'set-database',
    ]);
    assert.equal(items[0].kind, 'action');
    assert.equal(items[0].detail, "Move mailboxes from one server's store to another's.");
    assert.equal(items[0].insertText, 'move-mailboxes');
  });

  it('after `action:` without a space, the value comes with one; a half-typed value is replaced', () => {
    const bare = at(HEAD + 'steps:\n  - id: a\n    action:|\n');
    assert.equal(bare.items.find((item) => item.label === 'wait')!.insertText, ' wait');
    const half = at(HEAD + 'steps:\n  - id: a\n    action: res|\n');
    const restart = half.items.find((item) => item.label === 'restart-services')!;
    assert.deepEqual(restart.range, { start: half.offset - 3, end: half.offset });
  });

  it('declared server names (as declared) for server, from and to, even while the rest does not parse', () => {
    for (const key of ['from', 'to', 'server']) {
      const { items } = at(HEAD + `steps:\n  - id: a\n    action: move-mailboxes\n    ${key}: E|\n  - id: [broken\n`);
      assert.deepEqual(labels(items), ['EXCH01', 'exch02'], key);
      assert.equal(items[0].kind, 'server');
    }
    const detailed = at(readExample('multi-wave.runbook.yaml').replace('    from: EXCH01\n', '    from: |\n'));
    assert.deepEqual(
      detailed.items.map((item) => `${item.label} ${item.detail}`),
      ['EXCH01 Exchange 2003 SP2', 'EXCH02 Exchange 2003 SP2', 'EXCH03 Exchange 2003 SP1'],
    );
  });

  it('a server with a blank name is not offered: every item has a label (found by the fuzzer)', () => {
    const text = readExample('multi-wave.runbook.yaml').replace('name: EXCH02', 'name: ""').replace('    from: EXCH01\n', '    from: |\n');
    const { items } = at(text);
    assert.deepEqual(labels(items), ['EXCH01', 'EXCH03']);
  });

  it('known KB ids for a step hotfix, a flow hotfixes list and a block hotfixes list', () => {
    for (const text of [
      HEAD + 'steps:\n  - id: a\n    action: install-hotfix\n    hotfix: |\n',
      HEAD.replace('    servicePack: 2\n', '    servicePack: 2\n    hotfixes: [KB810489, KB9|]\n'),
      HEAD.replace('    servicePack: 2\n', '    servicePack: 2\n    hotfixes:\n      - |\n'),
    ]) {
      const { items } = at(text);
      assert.deepEqual(labels(items), ['KB924567', 'KB810489']);
      assert.equal(items[0].kind, 'kb');
      assert.match(items[0].detail!, /local delivery queue/);
    }
  });

  it('enum values: MTA service, Exchange version, service time; the format version', () => {
    assert.deepEqual(labels(at(HEAD.replace('    exchange: 2003\n', '    exchange: 2003\n    mta:\n      service: |\n')).items), [
      'running',
      'stopped',
      'disabled',
    ]);
    assert.deepEqual(labels(at(HEAD + 'steps:\n  - id: a\n    action: set-mta\n    service: |\n').items), [
      'running',
      'stopped',
      'disabled',
    ]);
    assert.deepEqual(labels(at(HEAD.replace('    exchange: 2003\n', '    exchange: |\n')).items), ['2000', '2003', '2007', '2010']);
    assert.deepEqual(labels(at(HEAD.replace('    servicePack: 2\n', '    servicePack: |\n')).items), ['0', '1', '2', '3']);
    assert.deepEqual(labels(at(HEAD + 'simulation:\n  serviceTime: |\n').items), ['exponential', 'deterministic']);
    assert.deepEqual(labels(at('runbook: |\n').items), ['1']);
    assert.deepEqual(labels(at(HEAD + 'steps:\n  - id: a\n    action: move-mailboxes\n    mailboxOrder: |\n').items), [
      'as-listed',
      'largest-first',
      'largest-last',
    ]);
    assert.deepEqual(at(HEAD + 'steps:\n  - id: a\n    title: |\n').items, [], 'free text gets nothing');
  });

  it("a step's fields valid for its action and not present yet, required first", () => {
    const { items, offset } = at(HEAD + 'steps:\n  - id: a\n    action: move-mailboxes\n    from: EXCH01\n    fr|\n    concurrency: 2\n');
    const names = labels(items);
    assert.deepEqual(names.slice().sort(), [
      'fromDatabase',
      'mailboxOrder',
      'mailboxes',
      'notes',
      'start',
      'throughputMBPerMinute',
      'title',
      'to',
      'toDatabase',
    ]);
    const sorted = items.slice().sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    assert.deepEqual(labels(sorted).slice(0, 2), ['mailboxes', 'to']);
    const to = items.find((item) => item.label === 'to')!;
    assert.equal(to.insertText, 'to: ');
    assert.equal(to.detail, 'string (required)');
    assert.equal(to.documentation, 'The target server.');
    assert.deepEqual(to.range, { start: offset - 2, end: offset });
  });

  it('set-mta fields differ from move fields; a step without an action yet offers the fields every action takes', () => {
    assert.deepEqual(labels(at(HEAD + 'steps:\n  - id: a\n    action: set-mta\n    |\n').items).sort(), [
      'gatewayOutThreads',
      'notes',
      'server',
      'service',
      'start',
      'title',
    ]);
    assert.deepEqual(fieldLabels(at(HEAD + 'steps:\n  - id: a\n    action: wait\n  - |\n').items).sort(), [
      'action',
      'id',
      'notes',
      'start',
      'title',
    ]);
    assert.deepEqual(labels(at(HEAD + 'steps:\n  - id: a\n    action: wait\n  - id: b\n    |\n').items).sort(), [
      'action',
      'notes',
      'start',
      'title',
    ]);
  });

  it('server fields, nested mta fields, and top-level keys with a block for lists', () => {
    assert.deepEqual(labels(at(HEAD.replace('  - name: exch02\n', '    |\n  - name: exch02\n')).items).sort(), [
      'edition',
      'hotfixes',
      'load',
      'mta',
      'storageGroups',
      'store',
      'storeVersion',
    ]);
    assert.deepEqual(
      labels(at(HEAD.replace('    exchange: 2003\n', '    exchange: 2003\n    mta:\n      service: disabled\n      |\n')).items),
      ['gatewayOutThreads'],
    );
    const top = at('runbook: 1\n|\n');
    assert.deepEqual(labels(top.items).sort(), ['description', 'name', 'servers', 'simulation', 'steps', 'window']);
    assert.equal(top.items.find((item) => item.label === 'steps')!.insertText, 'steps:\n  - ');
    assert.equal(at('runbook: 1\r\n|\r\n').items.find((item) => item.label === 'servers')!.insertText, 'servers:\r\n  - ');
  });

  it("fields of a step's nested mapping follow the step's action (issue 17: `averageS` under `mailboxes:`)", () => {
    const nested = at(
      HEAD + 'steps:\n  - id: a\n    action: move-mailboxes\n    from: EXCH01\n    mailboxes:\n      count: 10\n      average|\n',
    );
    assert.deepEqual(labels(nested.items), ['averageSizeMB']);
    const actionOnItemLine = at(HEAD + 'steps:\n  - action: move-mailboxes\n    mailboxes:\n      |\n');
    assert.deepEqual(labels(actionOnItemLine.items).sort(), ['averageSizeMB', 'count', 'file']);
  });

  it('whole-item snippets only where an item may start, labelled as snippets; never in a value (issue 17)', () => {
    const snippets = (items: { kind: string; label: string }[]) =>
      items.filter((item) => item.kind === 'snippet').map((item) => item.label);
    const steps = ACTIONS.map((action) => `${action} step`);
    assert.deepEqual(snippets(at('|').items), ['runbook skeleton']);
    assert.deepEqual(snippets(at('# a comment\nru|').items), ['runbook skeleton']);
    const dash = at(HEAD + 'steps:\n  - mo|');
    assert.deepEqual(snippets(dash.items), steps);
    const move = dash.items.find((item) => item.label === 'move-mailboxes step')!;
    // `- ` is typed already: the body without its own dash, replacing the half-typed word.
    assert.ok(move.insertText.startsWith('id: ${1:wave1}\n  title: '), move.insertText);
    assert.deepEqual(move.range, { start: dash.offset - 2, end: dash.offset });
    assert.equal(move.filterText, 'move-mailboxes');
    assert.equal(move.snippet, true);
    const bare = at(HEAD + 'steps:\n  - id: a\n    action: reboot\n    server: EXCH01\n  |');
    assert.ok(bare.items.find((item) => item.label === 'wait step')!.insertText.startsWith('- id: '));
    assert.deepEqual(snippets(at(HEAD + '  |\nsteps:\n').items), ['server entry']);
    // Not in a value, not inside a step, not on a `-` whose item has fields below it, not at a wrong indentation.
    assert.deepEqual(snippets(at(HEAD + 'steps:\n  - id: a\n    action: move|\n').items), []);
    assert.deepEqual(snippets(at(HEAD + 'steps:\n  - id: a\n    |\n').items), []);
    assert.deepEqual(snippets(at(HEAD + 'steps:\n  - |\n    action: wait\n').items), []);
    assert.deepEqual(snippets(at(HEAD + 'steps:\n  - id: a\n    action: wait\n    duration: 1m\n |').items), []);
    assert.deepEqual(snippets(at(HEAD + '|').items), []);
  });

  it('works in an indentless sequence and completes only the name of a key that has its colon', () => {
    assert.deepEqual(labels(at('runbook: 1\nsteps:\n- id: a\n  action: reboot\n  |\n').items), ['title', 'notes', 'start', 'server']);
    const renamed = at(HEAD + 'steps:\n  - id: a\n    action: reboot\n    ser|ver: EXCH01\n');
    assert.equal(renamed.items.find((item) => item.label === 'title')!.insertText, 'title');
  });

  it('nothing inside comments or flow mappings, and no throw anywhere in a broken file', () => {
    assert.deepEqual(at(HEAD + '# action: |\n').items, []);
    assert.deepEqual(at(HEAD + 'steps:\n  - id: a\n    mailboxes: { count: |\n').items, []);
    const broken = 'runbook: 1\nservers:\n  - name: [A\n    exchange: 2003\nsteps:\n  - id: x\n    action: \n  -\n    - : :\n';
    const analysis = analyze(broken);
    for (let offset = 0; offset <= broken.length; offset++) completions(broken, offset, analysis);
    for (let offset = 0; offset <= broken.length; offset++) completions(broken, offset);
  });
});
