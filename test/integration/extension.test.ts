// In-host tests: they run inside a real extension host with the `vscode` API, against the
// installed extension under development and the example runbooks in the opened workspace folder.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const LANGUAGE_ID = 'exchange-runbook';
const EXPOSED_FILE = 'kb924567-exposed.runbook.yaml';
const FIXED_FILE = 'kb924567-fixed.runbook.yaml';
const WAIT_MS = 10_000;
const EXTENSION_ID = 'exrunbook.exchange-runbook-studio';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder holding the example runbooks');
  return vscode.Uri.joinPath(folder.uri, name);
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return String(typeof code === 'object' ? code.value : code);
}

/** Resolves with the document's diagnostics once `accept` likes them; rejects after WAIT_MS. */
function diagnosticsWhere(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!accept(diagnostics)) return false;
      cleanUp();
      resolve(diagnostics);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      cleanUp();
      const seen = vscode.languages.getDiagnostics(uri).map((d) => `${codeOf(d)}@${d.range.start.line + 1}`);
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}; diagnostics now: [${seen.join(', ')}]`));
    }, WAIT_MS);
    function cleanUp(): void {
      clearTimeout(timer);
      subscription.dispose();
    }
    check();
  });
}

/** The range of the `EXCH01` value of `from:` in step wave1, found in the text (not hard-coded). */
function wave1FromValueRange(document: vscode.TextDocument): vscode.Range {
  const lines = document.getText().split(/\r?\n/);
  const stepLine = lines.findIndex((line) => /^\s*-\s*id:\s*wave1\s*$/.test(line));
  assert.ok(stepLine >= 0, 'step wave1 not found in the example');
  for (let line = stepLine + 1; line < lines.length && !/^\s*-\s/.test(lines[line]); line++) {
    const match = /^(\s*from:\s*)(EXCH01)\b/.exec(lines[line]);
    if (match) return new vscode.Range(line, match[1].length, line, match[1].length + match[2].length);
  }
  assert.fail('`from: EXCH01` not found in step wave1');
}

function diagnosticsChangeOrQuiet(uri: vscode.Uri, quietMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) done();
    });
    const timer = setTimeout(done, quietMs);
  });
}

async function revert(document: vscode.TextDocument): Promise<void> {
  if (!document.isDirty) return;
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

describe('Exchange Runbook Studio in a real extension host', () => {
  let exposed: vscode.TextDocument;

  before(async () => {
    // Without an active extension every test below would only time out: fail once, here.
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    exposed = await vscode.workspace.openTextDocument(workspaceFile(EXPOSED_FILE));
    await vscode.window.showTextDocument(exposed);
    await extension.activate();
  });

  afterEach(async () => {
    await revert(exposed);
  });

  it('opens *.runbook.yaml files in the Exchange Runbook language', () => {
    assert.equal(exposed.languageId, LANGUAGE_ID);
  });

  it('contributes the simulate command', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('exrunbook.simulate'), 'exrunbook.simulate is not registered');
  });

  it('reports EXR001 as an error on the `from: EXCH01` value of step wave1', async () => {
    const diagnostics = await diagnosticsWhere(exposed.uri, (all) => all.some((d) => codeOf(d) === 'EXR001'), 'EXR001');
    const exr001 = diagnostics.filter((d) => codeOf(d) === 'EXR001');
    assert.equal(exr001.length, 1, 'exactly one EXR001');
    const [diagnostic] = exr001;
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(diagnostic.range, wave1FromValueRange(exposed));
    assert.match(diagnostic.message, /EXCH01/);
    assert.match(diagnostic.message, /wave1/);
  });

  it('reports no error on the fixed example', async () => {
    const fixed = await vscode.workspace.openTextDocument(workspaceFile(FIXED_FILE));
    await vscode.window.showTextDocument(fixed);
    // An error-free file may never raise a diagnostics event: wait for one, or for the linter's
    // debounce to have long passed, then read what is there.
    await diagnosticsChangeOrQuiet(fixed.uri, 3000);
    const errors = vscode.languages.getDiagnostics(fixed.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(
      errors.map((d) => `${codeOf(d)}: ${d.message}`),
      [],
    );
    await vscode.window.showTextDocument(exposed);
  });

  it('offers the EXR001 quick fix, and applying it inserts the hotfix step and clears EXR001', async () => {
    const range = wave1FromValueRange(exposed);
    await diagnosticsWhere(exposed.uri, (all) => all.some((d) => codeOf(d) === 'EXR001'), 'EXR001');
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', exposed.uri, range)) ?? [];
    const fix = actions.find((action) => action.title.startsWith('Insert KB924567 install step'));
    assert.ok(fix, `no "Insert KB924567 install step…" action among: ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), 'the fix is a quick fix');
    assert.ok(fix.edit, 'the fix carries a workspace edit');

    const commentsBefore = exposed
      .getText()
      .split(/\r?\n/)
      .filter((line) => line.trimStart().startsWith('#'));
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applied');
    const after = exposed.getText();
    assert.match(after, /action:\s*install-hotfix/);
    assert.match(after, /hotfix:\s*KB924567/);
    for (const comment of commentsBefore) assert.ok(after.includes(comment), `comment lost: ${comment}`);
    // The new step comes before the move it protects.
    assert.ok(after.indexOf('install-hotfix') < after.indexOf('move-mailboxes'), 'the hotfix step precedes the move');
    await diagnosticsWhere(exposed.uri, (all) => !all.some((d) => codeOf(d) === 'EXR001'), 'EXR001 to clear after the fix');
  });

  it('shows the server state at the step when hovering EXCH01 in `from:`', async () => {
    const range = wave1FromValueRange(exposed);
    const text = await hoverText(exposed.uri, range.start.translate(0, 2));
    assert.match(text, /EXCH01/);
    assert.match(text, /SP2|Service pack/i);
    assert.match(text, /KB924567/);
  });

  it('completes `action:` values with move-mailboxes', async () => {
    const lines = exposed.getText().split(/\r?\n/);
    const line = lines.findIndex((text) => /^\s*action:\s*move-mailboxes\s*$/.test(text));
    assert.ok(line >= 0, '`action: move-mailboxes` not found');
    const valueStart = lines[line].indexOf('move-mailboxes');
    const edit = new vscode.WorkspaceEdit();
    edit.delete(exposed.uri, new vscode.Range(line, valueStart, line, lines[line].length));
    assert.ok(await vscode.workspace.applyEdit(edit));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      exposed.uri,
      new vscode.Position(line, valueStart),
    );
    const labels = (list?.items ?? []).map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(labels.includes('move-mailboxes'), `completions were: ${JSON.stringify(labels.slice(0, 30))}`);
  });
});
