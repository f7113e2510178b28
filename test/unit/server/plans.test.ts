import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintText } from '../../../src/core/lint';
import { simulate, simulationFindings } from '../../../src/core/simulator';
import {
  FILES_CHANGED_NOTIFICATION,
  FIND_PLANS_REQUEST,
  FIND_SAFE_PLAN_COMMAND,
  PLAN_PROGRESS_NOTIFICATION,
  READ_FILE_REQUEST,
  type FindPlansResult,
  type PlanProgressParams,
} from '../../../src/protocol/server';
import { plansMessage } from '../../../src/extension/panelHost';
import { readExample } from '../../support';
import { TestClient } from './lspClient';

const URI = 'file:///work/wave1.runbook.yaml';
const TEXT = readExample('kb924567-exposed.runbook.yaml').replace(
  /^servers:/m,
  'window:\n  daily: { from: "22:00", to: "06:00" }\nservers:',
);

describe('the language server: Find a safe plan', function () {
  this.timeout(120_000);
  let client: TestClient;

  afterEach(async () => {
    await client?.dispose();
  });

  it('offers "Find a safe plan…" on EXR001 to a client with the command, and runs the planner in the server with progress', async () => {
    client = await TestClient.start({ initializationOptions: { findSafePlanCommand: true } });
    const progress: PlanProgressParams[] = [];
    client.connection.onNotification(PLAN_PROGRESS_NOTIFICATION, (params: PlanProgressParams) => progress.push(params));
    client.open(URI, TEXT);
    const published = await client.diagnosticsWhere(URI, (p) => p.diagnostics.some((d: Diagnostic) => d.code === 'EXR001'), 'EXR001');
    const exr001 = published.diagnostics.find((d) => d.code === 'EXR001')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: exr001.range,
      context: { diagnostics: [exr001] },
    });
    const find = actions.find((action) => action.command?.command === FIND_SAFE_PLAN_COMMAND);
    assert.ok(find, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(find.title, 'Find a safe plan…');
    assert.deepEqual(find.command!.arguments, [URI]);

    const result = await client.request<FindPlansResult>(FIND_PLANS_REQUEST, { uri: URI });
    assert.ok(!('problem' in result));
    assert.equal(result.version, 1);
    assert.ok(result.plans.length > 0);
    assert.ok(progress.length > 0 && progress.every((p) => p.uri === URI));
    // Applied as the client does (every edit against the version it was computed for), the plan is safe.
    const document = TextDocument.create(URI, 'exchange-runbook', 1, TEXT);
    const after = TextDocument.applyEdits(document, result.plans[0].edits);
    const first = lintText(after);
    const extraFindings = simulationFindings(first.runbook, simulate(first.runbook, { series: false }));
    assert.deepEqual(
      lintText(after, { extraFindings }).diagnostics.map((d) => d.code),
      [],
    );
  });

  it("sends each plan's runbook model when asked (the panel simulates it), and the closest option with why when none is safe", async () => {
    client = await TestClient.start({ initializationOptions: { findSafePlanCommand: true } });
    client.open(URI, TEXT);
    const withModels = await client.request<FindPlansResult>(FIND_PLANS_REQUEST, { uri: URI, models: true });
    assert.ok(!('problem' in withModels) && withModels.plans.length > 0);
    for (const plan of withModels.plans) assert.ok(plan.runbook && plan.runbook.steps.length > 0, 'a plan without its model');
    // The model is the plan's runbook: the first plan installs the hotfix, so it has a step more than the original.
    assert.ok(withModels.plans[0].runbook!.steps.some((step) => step.action?.value === 'install-hotfix'));
    // The page gets the plans without their edits (the host keeps those).
    const message = plansMessage(withModels, 1);
    assert.ok('plans' in message && message.plans.every((plan) => !('edits' in plan) && plan.runbook));
    const without = await client.request<FindPlansResult>(FIND_PLANS_REQUEST, { uri: URI });
    assert.ok(!('problem' in without) && without.plans.every((plan) => plan.runbook === undefined));

    const SHORT = 'file:///work/short.runbook.yaml';
    client.open(SHORT, TEXT.replace('to: "06:00"', 'to: "22:30"'));
    const none = await client.request<FindPlansResult>(FIND_PLANS_REQUEST, { uri: SHORT, models: true });
    assert.ok(!('problem' in none));
    assert.deepEqual(none.plans, []);
    assert.ok(none.bestPartial?.problems?.some((problem) => /^EXR008 .*after the maintenance window closes/.test(problem)));
    const noneMessage = plansMessage(none, 1);
    assert.ok('plans' in noneMessage && noneMessage.bestPartial?.runbook && noneMessage.bestPartial.problems!.length > 0);
  });

  it('offers nothing to a client without the command', async () => {
    client = await TestClient.start();
    client.open(URI, TEXT);
    const published = await client.diagnosticsWhere(URI, (p) => p.diagnostics.some((d: Diagnostic) => d.code === 'EXR001'), 'EXR001');
    const exr001 = published.diagnostics.find((d) => d.code === 'EXR001')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: exr001.range,
      context: { diagnostics: [exr001] },
    });
    assert.ok(!actions.some((action) => action.command?.command === FIND_SAFE_PLAN_COMMAND));
  });
});

describe('the language server: mailbox list files read through the client', function () {
  this.timeout(60_000);
  let client: TestClient;

  afterEach(async () => {
    await client?.dispose();
  });

  it('asks the client for the file next to the runbook, reports a bad row at its row, and reads it again when it changes', async () => {
    client = await TestClient.start({ initializationOptions: { readsFiles: true } });
    const rows = ['alias,sizeMB', ...Array.from({ length: 1000 }, (_, i) => `user${i},${100 + (i % 50)}`)];
    rows[10] = 'user9,ten';
    let csv = rows.join('\n');
    const asked: string[] = [];
    client.connection.onRequest(READ_FILE_REQUEST, (params: { uri: string }) => {
      asked.push(params.uri);
      return { text: csv };
    });
    const text = readExample('kb924567-exposed.runbook.yaml').replace(
      'mailboxes: { count: 400, averageSizeMB: 250 }',
      'mailboxes: { file: lists/sales.csv }',
    );
    client.open(URI, text);
    const bad = await client.diagnosticsWhere(
      URI,
      (p) => p.diagnostics.some((d: Diagnostic) => /row 11/.test(d.message)),
      'EXR009 at row 11',
    );
    assert.deepEqual(asked, ['file:///work/lists/sales.csv']);
    const exr009 = bad.diagnostics.find((d) => d.code === 'EXR009')!;
    assert.equal(exr009.message, '`lists/sales.csv` row 11, column 2 (sizeMB): `ten` is not a size in MB. The row is left out.');
    rows[10] = 'user9,110';
    csv = rows.join('\n');
    client.connection.sendNotification(FILES_CHANGED_NOTIFICATION, { uris: ['file:///work/lists/sales.csv'] });
    const good = await client.diagnosticsWhere(
      URI,
      (p) =>
        !p.diagnostics.some((d: Diagnostic) => d.code === 'EXR009') &&
        p.diagnostics.some((d: Diagnostic) => /1,000 mailboxes/.test(d.message)),
      'the list read again, all 1,000 mailboxes',
    );
    assert.ok(good);
    assert.equal(asked.length, 2);
    // The planner reads the same list as the analysis: the runbook as written has no EXR009 for it.
    const planned = await client.request<FindPlansResult>(FIND_PLANS_REQUEST, { uri: URI });
    assert.ok(!('problem' in planned), JSON.stringify(planned));
    const asWritten = planned.asWritten?.problems ?? [];
    assert.ok(asWritten.length > 0 && !asWritten.some((problem) => problem.startsWith('EXR009')), asWritten.join('\n'));
  });

  it('a client that reads no files gets one clear error on the file value', async () => {
    client = await TestClient.start();
    const text = readExample('kb924567-exposed.runbook.yaml').replace(
      'mailboxes: { count: 400, averageSizeMB: 250 }',
      'mailboxes: { file: sales.csv }',
    );
    client.open(URI, text);
    const published = await client.diagnosticsWhere(
      URI,
      (p) => p.diagnostics.some((d: Diagnostic) => /this editor does not read files/.test(d.message)),
      'EXR009 saying the editor reads no files',
    );
    const [exr009] = published.diagnostics.filter((d) => d.code === 'EXR009');
    assert.match(exr009.message, /this editor does not read files next to the runbook/);
  });
});
