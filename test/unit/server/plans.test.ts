import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintText } from '../../../src/core/lint';
import { simulate, simulationFindings } from '../../../src/core/simulator';
import {
  FIND_PLANS_REQUEST,
  FIND_SAFE_PLAN_COMMAND,
  PLAN_PROGRESS_NOTIFICATION,
  type FindPlansResult,
  type PlanProgressParams,
} from '../../../src/protocol/server';
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
