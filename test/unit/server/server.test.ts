import assert from 'node:assert/strict';
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  MarkupContent,
  TextDocumentEdit,
} from 'vscode-languageserver/node';
import { PANEL_EDITS_REQUEST, RUNBOOK_MODEL_REQUEST, type PanelEditsResult, type RunbookModel } from '../../../src/protocol/server';
import { CAPABILITIES } from '../../../src/server/server';
import { readExample } from '../../support';
import { QUICK_SETTINGS, TestClient } from './lspClient';

const EXPOSED = 'file:///work/kb924567-exposed.runbook.yaml';
/** 28:11 in the editor: the `EXCH01` of `from:` in step wave1. */
const EXR001_RANGE = { start: { line: 27, character: 10 }, end: { line: 27, character: 16 } };
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code);

describe('the language server (in process, over an LSP connection)', function () {
  let client: TestClient;

  afterEach(async () => {
    await client?.dispose();
  });

  it('answers initialize with what it implements, incremental sync included', async () => {
    client = await TestClient.start();
    assert.deepEqual(client.initializeResult.capabilities, CAPABILITIES);
    assert.equal(
      client.initializeResult.capabilities.textDocumentSync &&
        (client.initializeResult.capabilities.textDocumentSync as { change: number }).change,
      2,
    );
    assert.equal(client.initializeResult.serverInfo?.name, 'exrunbook-language-server');
  });

  it('publishes EXR001 on the exact node with its rule page, then EXR005 from the background simulation and its CodeLens', async () => {
    client = await TestClient.start({ initializationOptions: { packageRoot: 'vscode-resource:/ext', simulateCommand: true } });
    client.open(EXPOSED, readExample('kb924567-exposed.runbook.yaml'));
    const first = await client.diagnosticsWhere(EXPOSED, (p) => codes(p.diagnostics).includes('EXR001'), 'EXR001');
    const exr001 = first.diagnostics.find((d) => d.code === 'EXR001')!;
    assert.deepEqual(exr001.range, EXR001_RANGE);
    assert.equal(exr001.severity, 1);
    assert.equal(exr001.source, 'exrunbook');
    assert.equal(exr001.codeDescription?.href, 'vscode-resource:/ext/docs/rules/EXR001.md');
    assert.equal(first.version, 1);
    const withSimulation = await client.diagnosticsWhere(EXPOSED, (p) => codes(p.diagnostics).includes('EXR005'), 'EXR005');
    assert.match(withSimulation.diagnostics.find((d) => d.code === 'EXR005')!.message, /EXCH01 runs out of store task threads/);
    await client.until(() => (client.codeLensRefreshes > 0 ? true : undefined), 'a CodeLens refresh after the simulation');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: EXPOSED } });
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.command]),
      [
        [24, 'exrunbook.simulate'],
        [24, ''],
      ],
    );
    assert.deepEqual(lenses[0].command?.arguments, [EXPOSED, 0]);
    assert.match(lenses[1].command!.title, /EXCH01: threads run out at 23:15 UTC, 1 h 15 m into wave1/);
  });

  it('a client that can show rule pages rendered gets code links and hover links that ask it to (issue 17)', async () => {
    client = await TestClient.start({ initializationOptions: { packageRoot: 'vscode-resource:/ext', showRuleCommand: true } });
    client.open(EXPOSED, readExample('kb924567-exposed.runbook.yaml'));
    const published = await client.diagnosticsWhere(EXPOSED, (p) => codes(p.diagnostics).includes('EXR001'), 'EXR001');
    const link = `command:exrunbook.showRule?${encodeURIComponent('["EXR001"]')}`;
    assert.equal(published.diagnostics.find((d) => d.code === 'EXR001')!.codeDescription?.href, link);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: EXPOSED }, position: EXR001_RANGE.start });
    assert.ok((hover.contents as MarkupContent).value.includes(`[Rule page](${link})`));
  });

  it('a typo keeps the last prediction, marked stale with the errors that block a new one, and offers the rename (issue 17)', async () => {
    client = await TestClient.start({ initializationOptions: { simulateCommand: true } });
    client.open(EXPOSED, readExample('kb924567-exposed.runbook.yaml'));
    await client.diagnosticsWhere(EXPOSED, (p) => codes(p.diagnostics).includes('EXR005'), 'EXR005');
    // `concurrency` on line 31 becomes `concurency`.
    const version = client.change(EXPOSED, [{ range: { start: { line: 30, character: 9 }, end: { line: 30, character: 10 } }, text: '' }]);
    const typo = await client.diagnosticsWhere(EXPOSED, (p) => p.version === version, `diagnostics of version ${version}`);
    const exr005 = typo.diagnostics.find((d) => d.code === 'EXR005');
    assert.ok(exr005, JSON.stringify(codes(typo.diagnostics)));
    assert.match(exr005.message, /^Stale, from the last simulation \(2 errors block the simulation: Step `wave1` is missing `concurrency`/);
    assert.match(exr005.message, /EXCH01 runs out of store task threads/);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: EXPOSED } });
    assert.match(lenses[1].command!.title, /^⚠ EXCH01: threads run out at .* \(stale: 2 errors block the simulation: /);
    const unknown = typo.diagnostics.find((d) => d.code === 'EXR100' && /Unknown field `concurency`/.test(d.message))!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: EXPOSED },
      range: unknown.range,
      context: { diagnostics: [unknown] },
    });
    assert.equal(actions[0].title, 'Rename `concurency` to `concurrency`');
    assert.equal(actions[0].isPreferred, true);
  });

  it('while the YAML is broken: the error in plain words, and the last well-formed findings kept, marked, without fixes (issue 17)', async () => {
    client = await TestClient.start();
    client.open(EXPOSED, readExample('kb924567-exposed.runbook.yaml'));
    await client.diagnosticsWhere(EXPOSED, (p) => codes(p.diagnostics).includes('EXR001'), 'EXR001');
    // Three spaces more before `to:` (line 29).
    const version = client.change(EXPOSED, [
      { range: { start: { line: 28, character: 0 }, end: { line: 28, character: 0 } }, text: '   ' },
    ]);
    const broken = await client.diagnosticsWhere(EXPOSED, (p) => p.version === version, `diagnostics of version ${version}`);
    const exr101 = broken.diagnostics.filter((d) => d.code === 'EXR101');
    assert.equal(exr101.length, 1);
    assert.equal(exr101[0].range.start.line, 28);
    assert.match(exr101[0].message, /`to` is indented 3 spaces more than `from`/);
    const exr001 = broken.diagnostics.find((d) => d.code === 'EXR001')!;
    assert.match(exr001.message, /^From the last well-formed version \(fix the YAML error to check again\): Step `wave1` moves mailboxes/);
    assert.deepEqual(exr001.range, EXR001_RANGE);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: EXPOSED },
      range: exr001.range,
      context: { diagnostics: [exr001] },
    });
    assert.deepEqual(actions, []);
  });

  it('applies incremental edits: the EXR001 quick fix, sent back as an edit, clears EXR001', async () => {
    client = await TestClient.start();
    client.open(EXPOSED, readExample('kb924567-exposed.runbook.yaml'));
    const published = await client.diagnosticsWhere(EXPOSED, (p) => codes(p.diagnostics).includes('EXR001'), 'EXR001');
    const exr001 = published.diagnostics.find((d) => d.code === 'EXR001')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: EXPOSED },
      range: exr001.range,
      context: { diagnostics: [exr001] },
    });
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Insert KB924567 install step on EXCH01 before this move'), JSON.stringify(titles));
    assert.ok(titles.includes('Suppress EXR001 for this step'), JSON.stringify(titles));
    const fix = actions.find((action) => action.isPreferred)!;
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.diagnostics, [exr001]);
    const change = fix.edit!.documentChanges![0] as TextDocumentEdit;
    assert.deepEqual(change.textDocument, { uri: EXPOSED, version: 1 });
    const version = client.change(
      EXPOSED,
      change.edits.map((edit) => ({ range: edit.range, text: edit.newText })),
    );
    const after = await client.diagnosticsWhere(EXPOSED, (p) => p.version === version, `diagnostics of version ${version}`);
    assert.deepEqual(
      after.diagnostics.filter((d) => d.severity === 1).map((d) => d.code),
      [],
    );
  });

  it('reads exrunbook.rules and the assumptions through workspace/configuration, again when they change', async () => {
    client = await TestClient.start();
    client.settings = { ...QUICK_SETTINGS, rules: { EXR001: 'off' }, simulation: { enabled: false, debounceMs: 0 } };
    client.open(EXPOSED, readExample('kb924567-exposed.runbook.yaml'));
    const off = await client.diagnosticsWhere(EXPOSED, () => true, 'a first publish');
    assert.ok(!codes(off.diagnostics).includes('EXR001'), JSON.stringify(codes(off.diagnostics)));
    const model = await client.request<RunbookModel>(RUNBOOK_MODEL_REQUEST, { uri: EXPOSED });
    assert.deepEqual(model.assumptions, { maxEvents: 50_000_000 });
    client.changeSettings({ ...QUICK_SETTINGS, rules: { exr001: 'warning' }, simulation: { storeTaskThreads: 64, enabled: false } });
    const warning = await client.diagnosticsWhere(EXPOSED, (p) => codes(p.diagnostics).includes('EXR001'), 'EXR001 back, as a warning');
    assert.equal(warning.diagnostics.find((d) => d.code === 'EXR001')!.severity, 2);
    const changed = await client.request<RunbookModel>(RUNBOOK_MODEL_REQUEST, { uri: EXPOSED });
    assert.equal(changed.assumptions.storeTaskThreads, 64);
  });

  it('answers hover, completion, symbols and folding from the document as it is', async () => {
    client = await TestClient.start();
    const text = readExample('kb924567-exposed.runbook.yaml');
    client.open(EXPOSED, text);
    const textDocument = { uri: EXPOSED };
    const hover = await client.request<Hover>('textDocument/hover', { textDocument, position: { line: 27, character: 12 } });
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /EXCH01/);
    assert.match(markdown, /KB924567/);
    assert.deepEqual(hover.range, EXR001_RANGE);

    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument });
    const steps = symbols.find((symbol) => /steps/i.test(symbol.name));
    assert.ok(steps, JSON.stringify(symbols.map((s) => s.name)));
    assert.deepEqual(
      steps.children?.map((child) => child.name),
      ['wave1'],
    );
    const folding = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument });
    assert.ok(
      folding.some((range) => range.startLine === 23 && range.endLine === 32),
      JSON.stringify(folding),
    );

    // Delete the action's value, as someone about to type another one would.
    client.change(EXPOSED, [{ range: { start: { line: 26, character: 12 }, end: { line: 26, character: 26 } }, text: '' }]);
    const items = await client.request<CompletionItem[]>('textDocument/completion', {
      textDocument,
      position: { line: 26, character: 12 },
    });
    assert.ok(
      items.some((item) => item.label === 'move-mailboxes'),
      JSON.stringify(items.map((item) => item.label)),
    );
  });

  it('gives the panel the runbook model and the edits that write a what-if into it', async () => {
    client = await TestClient.start();
    client.open(EXPOSED, readExample('kb924567-exposed.runbook.yaml'));
    const model = await client.request<RunbookModel>(RUNBOOK_MODEL_REQUEST, { uri: EXPOSED });
    assert.equal(model.version, 1);
    assert.equal(model.simulatable, true);
    assert.equal(model.runbook.steps[0].id?.value, 'wave1');
    const edits = await client.request<PanelEditsResult>(PANEL_EDITS_REQUEST, {
      uri: EXPOSED,
      change: { kind: 'concurrency', concurrency: 2 },
    });
    assert.ok('edits' in edits, JSON.stringify(edits));
    assert.deepEqual(edits.edits, [{ range: { start: { line: 30, character: 17 }, end: { line: 30, character: 18 } }, newText: '2' }]);
    assert.equal(await client.request(RUNBOOK_MODEL_REQUEST, { uri: 'file:///not-open.runbook.yaml' }), null);
  });

  it('drops a background simulation when the next edit comes: no result of an old version is published after it', async () => {
    client = await TestClient.start();
    // Twice the mailboxes of multi-wave: a simulation that runs for many slices.
    const long = readExample('multi-wave.runbook.yaml').replace(/count: (\d+)/g, (_, count) => `count: ${Number(count) * 2}`);
    const uri = 'file:///work/long.runbook.yaml';
    client.open(uri, long);
    await client.until(
      () => (client.statuses.some((s) => s.state === 'simulating' && s.uri === uri) ? true : undefined),
      'the simulation to start',
    );
    const version = client.change(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' },
    ]);
    await client.diagnosticsWhere(
      uri,
      (p) => p.version === version && codes(p.diagnostics).includes('EXR005'),
      'EXR005 for the new version',
    );
    const afterEdit = client.published.slice(client.published.findIndex((p) => p.uri === uri && p.version === version));
    assert.deepEqual(
      afterEdit.map((p) => p.version),
      afterEdit.map(() => version),
      'a publish for an older version came after the edit',
    );
    assert.equal(
      client.published.filter((p) => p.version === 1 && codes(p.diagnostics).includes('EXR005')).length,
      0,
      'the simulation of version 1 finished although an edit came',
    );
  });

  it("checks the workspace's runbooks that are not open, sums them up, and checks a closed one again from disk (issue 17)", async () => {
    const clean = readExample('kb924567-fixed.runbook.yaml');
    const exposedText = readExample('kb924567-exposed.runbook.yaml');
    const CLEAN = 'file:///work/kb924567-fixed.runbook.yaml';
    client = await TestClient.start({
      initializationOptions: { workspaceRunbooks: true },
      files: { [EXPOSED]: exposedText, [CLEAN]: clean, 'file:///work/huge.runbook.yaml': 'x'.repeat(2 * 1024 * 1024) },
    });
    const notOpen = await client.diagnosticsWhere(EXPOSED, (p) => codes(p.diagnostics).includes('EXR001'), 'EXR001 of a file not open');
    assert.equal(notOpen.version, undefined);
    await client.diagnosticsWhere(CLEAN, (p) => p.diagnostics.every((d) => d.severity !== 1), 'the clean file');
    const summary = await client.until(
      () => client.summaries.find((s) => s.files === 2 && s.errors === 1 && s.skipped === 1),
      'a summary of 2 runbooks checked, 1 with errors, 1 too large',
    );
    assert.equal(summary.warnings, 0);
    // Opened and broken in the editor, then closed unsaved: Problems shows the file on disk again.
    client.open(EXPOSED, 'runbook: [');
    await client.diagnosticsWhere(EXPOSED, (p) => p.version === 1 && codes(p.diagnostics).includes('EXR101'), 'EXR101 while open');
    client.close(EXPOSED);
    await client.diagnosticsWhere(EXPOSED, (p) => p.version === undefined && codes(p.diagnostics).includes('EXR001'), 'EXR001 from disk');
  });

  it('clears the diagnostics of a closed document', async () => {
    client = await TestClient.start();
    client.open(EXPOSED, readExample('kb924567-exposed.runbook.yaml'));
    await client.diagnosticsWhere(EXPOSED, (p) => p.diagnostics.length > 0, 'diagnostics');
    client.close(EXPOSED);
    await client.diagnosticsWhere(EXPOSED, (p) => p.diagnostics.length === 0, 'the diagnostics to be cleared');
  });
});
