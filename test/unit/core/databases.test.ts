import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/edits';
import { codeActions } from '../../../src/core/features/codeActions';
import { analyze, lintText } from '../../../src/core/lint';
import { statesThroughSteps } from '../../../src/core/model/state';
import { simulate } from '../../../src/core/simulator';
import { codes, covered, readExample } from '../../support';

const SERVER = [
  'runbook: 1',
  'name: databases',
  'servers:',
  '  - name: EXCH01',
  '    exchange: 2003',
  '    servicePack: 2',
  '    hotfixes: [KB924567]',
  '    mta: { service: disabled, gatewayOutThreads: 0 }',
  '    storageGroups:',
  '      - name: First Storage Group',
  '        databases:',
  '          - { name: Sales, sizeGB: 10, gatewayInThreads: 0 }',
  '  - name: EXCH02',
  '    exchange: 2003',
  '    servicePack: 2',
  'steps:',
].join('\n');

const move = (id: string, from: string, extra = '') =>
  `\n  - id: ${id}\n    action: move-mailboxes\n    from: EXCH01\n    fromDatabase: ${from}\n    to: EXCH02\n    mailboxes: { count: 10, averageSizeMB: 1024 }\n    concurrency: 4${extra}`;
const create = (id: string, name: string, extra = '') =>
  `\n  - id: ${id}\n    action: create-database\n    server: EXCH01\n    storageGroup: Second Storage Group\n    database: ${name}${extra}`;

/** Applies every quick fix offered for each diagnostic of `code` and returns the codes left. */
function afterEachFix(text: string, code: string): string[][] {
  const analysis = analyze(text);
  const diagnostics = lintText(text).diagnostics.filter((d) => d.code === code);
  assert.ok(diagnostics.length > 0, `no ${code} to fix`);
  const results: string[][] = [];
  for (const action of codeActions(analysis, diagnostics).filter((a) => !a.title.startsWith('Suppress'))) {
    results.push(codes(lintText(applyEdits(text, action.edits)).diagnostics));
  }
  assert.ok(results.length > 0, `no quick fix for ${code}`);
  return results;
}

describe('databases (model/databases.ts)', () => {
  it('a server without storage groups has the state it always had: no databases, no edition', () => {
    const text = readExample('kb924567-fixed.runbook.yaml');
    const { runbook } = analyze(text);
    for (const states of statesThroughSteps(runbook).before) {
      for (const state of states.values()) {
        assert.equal('databases' in state, false);
        assert.equal('edition' in state, false);
      }
    }
  });

  it('state flows per database: inherit the server value, a created one starts at 1, set-mta sets every existing one, moves carry sizes', () => {
    const text =
      SERVER +
      create('new-db', 'Projects') +
      move('out', 'Sales') +
      '\n  - id: all-one\n    action: set-mta\n    server: EXCH01\n    gatewayOutThreads: 1';
    const { runbook } = analyze(text);
    const timeline = statesThroughSteps(runbook);
    const sales = timeline.before[0].get('EXCH01')!.databases!.get('SALES')!;
    assert.deepEqual([sales.gatewayInThreads, sales.gatewayOutThreads, sales.sizeGB], [0, 0, 10]);
    const projects = timeline.before[1].get('EXCH01')!.databases!.get('PROJECTS')!;
    assert.deepEqual([projects.gatewayInThreads, projects.gatewayOutThreads, projects.sizeGB, projects.createdBy], [1, 1, 0, 0]);
    assert.equal(timeline.before[2].get('EXCH01')!.databases!.get('SALES')!.sizeGB, 0, '10 GB moved out');
    const after = timeline.after.get('EXCH01')!.databases!;
    assert.deepEqual(
      [...after.values()].map((db) => db.gatewayOutThreads),
      [1, 1],
    );
  });

  it('KB924567 per database: a move out of a database at 0 holds no flushes, out of a new one at 1 is EXR004 on fromDatabase', () => {
    const text =
      SERVER + create('new-db', 'Projects', '\n    gatewayInThreads: 0') + move('from-sales', 'Sales') + move('from-projects', 'Projects');
    const { diagnostics } = lintText(text);
    const exr004 = diagnostics.filter((d) => d.code === 'EXR004');
    assert.equal(exr004.length, 1);
    assert.equal(covered(text, exr004[0]), 'Projects');
    assert.match(exr004[0].message, /database Projects has Gateway Out Threads 1, not 0/);
    const result = simulate(analyze(text).runbook);
    assert.equal(result.servers.EXCH01.summary.flushTasksRegistered, 10, 'only the move out of Projects registers flushes');
  });

  it('EXR004 on a database: the quick fix sets its values before the move and leaves neither EXR004 nor EXR014', () => {
    const text = SERVER + create('new-db', 'Projects', '\n    gatewayInThreads: 0') + move('from-projects', 'Projects');
    for (const left of afterEachFix(text, 'EXR004')) {
      assert.ok(!left.includes('EXR004') && !left.includes('EXR001'), left.join());
    }
  });

  it('EXR014 at a declaration, a create-database step and a set-mta step; each quick fix removes its diagnostic', () => {
    const inventory =
      SERVER.replace('{ name: Sales, sizeGB: 10, gatewayInThreads: 0 }', '{ name: Sales, sizeGB: 10 }') +
      create('ok', 'Archive', '\n    gatewayInThreads: 0\n    gatewayOutThreads: 0');
    assert.deepEqual(codes(lintText(inventory).diagnostics), ['EXR014']);
    for (const left of afterEachFix(inventory, 'EXR014')) assert.deepEqual(left, []);

    const created = SERVER + create('new-db', 'Projects');
    assert.deepEqual(codes(lintText(created).diagnostics), ['EXR014']);
    for (const left of afterEachFix(created, 'EXR014')) assert.deepEqual(left, []);

    const running = SERVER.replace('mta: { service: disabled, gatewayOutThreads: 0 }', 'mta: { service: running }').replace(
      ', gatewayInThreads: 0 }',
      ' }',
    );
    const disabling =
      running +
      '\n  - id: mta-off\n    action: set-mta\n    server: EXCH01\n    service: disabled' +
      '\n  - id: settle\n    action: wait\n    duration: 1h';
    const found = lintText(disabling).diagnostics;
    assert.deepEqual(codes(found), ['EXR014']);
    assert.equal(covered(disabling, found[0]), 'disabled');
    for (const left of afterEachFix(disabling, 'EXR014')) assert.deepEqual(left, []);
  });

  it('a rebalance between two databases of one server is simulated on the one store (two threads per mailbox)', () => {
    const text =
      SERVER.replace(
        'gatewayInThreads: 0 }',
        'gatewayInThreads: 0 }\n          - { name: Engineering, gatewayInThreads: 0, gatewayOutThreads: 0 }',
      ) +
      '\n  - id: rebalance\n    action: move-mailboxes\n    from: EXCH01\n    fromDatabase: Sales\n    to: EXCH01\n    toDatabase: Engineering' +
      '\n    mailboxes: { count: 8, averageSizeMB: 300 }\n    concurrency: 4';
    const lint = lintText(text);
    assert.deepEqual(codes(lint.diagnostics), []);
    assert.ok(lint.simulatable);
    const result = simulate(lint.runbook);
    assert.ok(result.steps.every((step) => step.completed));
    assert.equal(result.servers.EXCH01.summary.peakThreadsBusy, 8, 'four lanes, a source and a target thread each');
    assert.equal(result.servers.EXCH01.summary.flushTasksRegistered, 0, 'out of Sales, at Gateway Out Threads 0 with KB924567');
  });
});
