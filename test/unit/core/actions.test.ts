/**
 * The action table (src/core/model/actions.ts) and what the rules, the state model and the
 * simulator make of it: each judges a step by the same entry, so they cannot disagree.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import schema from '../../../schemas/runbook.schema.json';
import { lintText } from '../../../src/core/lint';
import { ACTION_TABLE, ACTIONS } from '../../../src/core/model/actions';
import { serviceNamed, storeDependencyChain } from '../../../src/core/model/services';
import { statesThroughSteps } from '../../../src/core/model/state';
import { simulate } from '../../../src/core/simulator';
import { codes, repoRoot, yaml } from '../../support';

/** A on `a` (Exchange 2003, inventory lines vary), B on SP2; a 100-minute move A → B from 22:00, then `extra` steps. */
function runbook(a: string[], extra: string[]): string {
  return yaml(
    'runbook: 1',
    'name: action table',
    'servers:',
    '  - name: A',
    '    exchange: 2003',
    ...a.map((line) => '    ' + line),
    '  - name: B',
    '    exchange: 2003',
    '    servicePack: 2',
    'simulation:',
    '  serviceTime: deterministic',
    'steps:',
    '  - id: move',
    '    action: move-mailboxes',
    '    from: A',
    '    to: B',
    '    mailboxes: { count: 10, averageSizeMB: 300 }',
    '    concurrency: 1',
    '    throughputMBPerMinute: 30',
    '    start: 2026-12-05T22:00:00Z',
    ...extra.map((line) => '  ' + line),
  );
}

/** A step on A half an hour into the move. */
function at2230(...lines: string[]): string[] {
  return [...lines, '  start: 2026-12-05T22:30:00Z'];
}

/** When the simulated move ends, minutes from its start (100 when nothing interrupts it). */
function simulatedMoveMinutes(text: string): number {
  const { runbook: model, simulatable } = lintText(text);
  assert.ok(simulatable);
  const move = simulate(model).steps[0];
  assert.ok(move.completed);
  return move.end - move.start;
}

describe('the action table', () => {
  it('has one entry per action of the schema, in the schema order, with the schema’s one-line description', () => {
    const definitions = schema.definitions as Record<string, { description?: string }>;
    assert.deepEqual(ACTIONS, schema.definitions.step.properties.action.enum);
    assert.deepEqual(Object.keys(ACTION_TABLE), schema.definitions.step.properties.action.enum);
    for (const action of ACTIONS) assert.equal(ACTION_TABLE[action].summary, definitions[`step-${action}`].description, action);
  });

  it('is the list the grammar colours as actions', () => {
    const grammar = readFileSync(resolve(repoRoot, 'syntaxes', 'exchange-runbook.injection.tmLanguage.json'), 'utf8');
    const alternation = /\((move-mailboxes(?:\|[a-z-]+)+)\)/.exec(grammar);
    assert.ok(alternation, 'the injection grammar lists the actions');
    assert.deepEqual(alternation[1].split('|').sort(), [...ACTIONS].sort());
  });

  it('knows which services stop the Information Store: the store, System Attendant and what it depends on, by either name', () => {
    assert.deepEqual(storeDependencyChain('MSExchangeIS'), ['MSExchangeIS']);
    assert.deepEqual(storeDependencyChain('msexchangesa'), ['MSExchangeIS', 'MSExchangeSA']);
    assert.deepEqual(storeDependencyChain('Microsoft Exchange System Attendant'), ['MSExchangeIS', 'MSExchangeSA']);
    assert.deepEqual(storeDependencyChain('RpcSs'), ['MSExchangeIS', 'MSExchangeSA', 'RpcSs']);
    for (const service of ['MSExchangeMTA', 'MSSEARCH', 'IISADMIN', 'SMTPSVC', 'W3SVC', 'NoSuchService'])
      assert.equal(storeDependencyChain(service), undefined, service);
    assert.equal(serviceNamed('iis admin service')?.name, 'IISADMIN');
  });
});

describe('what a step stops, the same in the rules and the simulator', () => {
  it('a service pack installed during a move stops every Exchange service: EXR003, and the simulated move is interrupted', () => {
    const text = runbook(['servicePack: 1'], at2230('- id: sp2', '  action: install-service-pack', '  server: A', '  servicePack: 2'));
    const { diagnostics } = lintText(text);
    assert.deepEqual(codes(diagnostics), ['EXR003']);
    assert.equal(
      diagnostics[0].message,
      'Installing Service Pack 2 stops the Information Store (with every other Exchange service) on A 30 m into move `move`, ' +
        'which still has 1 h 10 m to run: the moves in flight are interrupted. ' +
        'Schedule step `sp2` before the move starts or after it ends.',
    );
    assert.ok(simulatedMoveMinutes(text) > 100);
  });

  it('restarting the MTA alone leaves the store running: no EXR003, and the simulated move runs through', () => {
    const text = runbook(
      ['servicePack: 2'],
      at2230('- id: mta', '  action: restart-services', '  server: A', '  services: [MSExchangeMTA]'),
    );
    assert.deepEqual(codes(lintText(text).diagnostics), []);
    assert.equal(simulatedMoveMinutes(text), 100);
  });

  it('restarting System Attendant stops the store that depends on it, and the message names the services', () => {
    const text = runbook(
      ['servicePack: 2'],
      at2230('- id: sa', '  action: restart-services', '  server: A', '  services: [MSExchangeSA, MSSEARCH]'),
    );
    const { diagnostics } = lintText(text);
    assert.deepEqual(codes(diagnostics), ['EXR003']);
    assert.match(
      diagnostics[0].message,
      new RegExp(
        '^Restarting MSExchangeSA and MSSEARCH stops the Information Store ' +
          '\\(it depends on Microsoft Exchange System Attendant\\) on A 30 m into move `move`',
      ),
    );
    assert.ok(simulatedMoveMinutes(text) > 100);
  });

  it('a hotfix the product does not know stops nothing it can name: no EXR003, the simulated move runs through', () => {
    const text = runbook(['servicePack: 2'], at2230('- id: other', '  action: install-hotfix', '  server: A', '  hotfix: KB123456'));
    assert.deepEqual(codes(lintText(text).diagnostics), ['EXR013'], 'only that the KB is unknown');
    assert.equal(simulatedMoveMinutes(text), 100);
  });
});

describe('a KB924567 install that cannot install (no SP2) protects nothing', () => {
  // SP1 with a disabled MTA: the hotfix is refused (EXR002), SP2 comes after it, so the move is exposed.
  const text = yaml(
    'runbook: 1',
    'name: hotfix before the service pack',
    'servers:',
    '  - name: A',
    '    exchange: 2003',
    '    servicePack: 1',
    '    mta: { service: disabled, gatewayOutThreads: 0 }',
    '  - name: B',
    '    exchange: 2003',
    '    servicePack: 2',
    'simulation:',
    '  serviceTime: deterministic',
    'steps:',
    '  - id: hotfix',
    '    action: install-hotfix',
    '    server: A',
    '    hotfix: KB924567',
    '  - id: sp2',
    '    action: install-service-pack',
    '    server: A',
    '    servicePack: 2',
    '  - id: move',
    '    action: move-mailboxes',
    '    from: A',
    '    to: B',
    '    mailboxes: { count: 10, averageSizeMB: 30 }',
    '    concurrency: 1',
  );
  const lint = lintText(text);

  it('the state after it has no KB924567 and the store.exe of SP2, not 6.5.7652.5', () => {
    const before = statesThroughSteps(lint.runbook).before[2].get('A')!;
    assert.deepEqual([...before.hotfixes], []);
    assert.equal(before.servicePack, 2);
    assert.equal(before.storeVersion, '6.5.7638.0');
  });

  it('the rules report the refused install (EXR002) and the exposed move (EXR001)', () => {
    assert.deepEqual(codes(lint.diagnostics), ['EXR002', 'EXR001']);
  });

  it('the simulation registers a held transit-mail flush per moved mailbox', () => {
    const summary = simulate(lint.runbook).servers.A.summary;
    assert.equal(summary.flushTasksRegistered, 10);
    assert.ok(summary.flushThreadMinutes > 10 * 60, `flushes held ${summary.flushThreadMinutes} thread-minutes`);
  });
});
