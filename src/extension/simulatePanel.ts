/**
 * The host side of the "Simulate migration" webview: one panel per runbook, opened beside the
 * editor, fed the runbook model (re-sent 500 ms after edits), restored after a reload by its
 * serializer, and carrying out what the page asks: write a what-if into the runbook (one undoable
 * WorkspaceEdit), save an export, open the Problems panel, reveal a step.
 */
import * as vscode from 'vscode';
import type { Analysis } from '../core/lint';
import { buildSimulationHtml, makeNonce } from './html';
import { buildRunbookMessage, editsForChange } from './panelHost';
import {
  SIMULATION_VIEW_TYPE,
  type ExportFormat,
  type HostToWebview,
  type PanelState,
  type RunbookChange,
  type WebviewToHost,
} from '../protocol/panel';
import { readSettings } from './settings';

/** Re-simulate this long after typing stops (the issue asks for about half a second). */
const FOLLOW_DEBOUNCE_MS = 500;

/** Where the lint result comes from: the extension's per-document cache (RunbookDocuments). */
export interface RunbookAnalyses {
  current(document: vscode.TextDocument): { analysis: Analysis; simulatable: boolean };
}

let panels: SimulationPanels | undefined;

/**
 * Registers the panel serializer (so panels come back after a reload) and keeps panels in step
 * with their documents. Call once from activate().
 */
export function registerSimulationPanel(context: vscode.ExtensionContext, analyses: RunbookAnalyses): void {
  panels = new SimulationPanels(context.extensionUri, analyses);
  context.subscriptions.push(panels, vscode.window.registerWebviewPanelSerializer(SIMULATION_VIEW_TYPE, panels));
}

/**
 * Opens (or reveals) the simulation of a runbook beside the editor; `stepIndex` highlights the
 * step a CodeLens was clicked on. For the `exrunbook.simulate` command and its CodeLens.
 */
export function showSimulationPanel(document: vscode.TextDocument, options: { stepIndex?: number } = {}): void {
  if (!panels) throw new Error('registerSimulationPanel() must run first (in activate)');
  panels.show(document, options.stepIndex);
}

/**
 * The `exrunbook.simulate` command handler: from the palette (the active editor's runbook), the
 * editor title button (VS Code passes the file's URI) or a CodeLens (arguments: URI, step index).
 */
export async function runSimulateCommand(uri?: unknown, stepIndex?: unknown): Promise<void> {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showInformationMessage('Open a runbook to simulate it.');
    return;
  }
  const document = await vscode.workspace.openTextDocument(target);
  showSimulationPanel(document, { stepIndex: typeof stepIndex === 'number' ? stepIndex : undefined });
}

class SimulationPanels implements vscode.WebviewPanelSerializer<PanelState>, vscode.Disposable {
  private readonly open = new Map<string, SimulationPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analyses: RunbookAnalyses,
  ) {}

  show(document: vscode.TextDocument, focusStepIndex?: number): void {
    const key = document.uri.toString();
    const existing = this.open.get(key);
    if (existing) {
      existing.reveal(focusStepIndex);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      SIMULATION_VIEW_TYPE,
      panelTitle(document.uri),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      this.webviewOptions(),
    );
    this.adopt(panel, document.uri, focusStepIndex);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PanelState | undefined): Promise<void> {
    const uri = typeof state?.documentUri === 'string' ? vscode.Uri.parse(state.documentUri) : undefined;
    if (!uri || this.open.has(uri.toString())) {
      panel.dispose();
      return;
    }
    panel.webview.options = this.webviewOptions();
    this.adopt(panel, uri);
  }

  private adopt(panel: vscode.WebviewPanel, uri: vscode.Uri, focusStepIndex?: number): void {
    const key = uri.toString();
    const simulation = new SimulationPanel(panel, uri, this.extensionUri, this.analyses, focusStepIndex);
    this.open.set(key, simulation);
    panel.onDidDispose(() => {
      if (this.open.get(key) === simulation) this.open.delete(key);
      simulation.dispose();
    });
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    // Only the built webview files load; state survives hiding through getState/setState.
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')] };
  }

  dispose(): void {
    for (const panel of this.open.values()) panel.dispose();
    this.open.clear();
  }
}

function panelTitle(uri: vscode.Uri): string {
  return `Simulation: ${uri.path.split('/').pop() ?? 'runbook'}`;
}

/** One panel following one runbook document. */
class SimulationPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly uri: vscode.Uri,
    extensionUri: vscode.Uri,
    private readonly analyses: RunbookAnalyses,
    private focusStepIndex: number | undefined,
  ) {
    const webview = panel.webview;
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
    webview.html = buildSimulationHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce((size) => crypto.getRandomValues(new Uint8Array(size))),
      uris: { script: asset('main.js'), worker: asset('worker.js'), stylesheet: asset('main.css'), codicons: asset('codicon.css') },
      title: panelTitle(uri),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => void this.onMessage(message)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() === this.uri.toString() && event.contentChanges.length > 0) this.schedule();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('exrunbook', this.uri)) this.schedule();
      }),
    );
  }

  reveal(focusStepIndex?: number): void {
    this.focusStepIndex = focusStepIndex;
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    void this.postRunbook();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.postRunbook(), FOLLOW_DEBOUNCE_MS);
  }

  private async document(): Promise<vscode.TextDocument | undefined> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === this.uri.toString());
    if (open) return open;
    try {
      return await vscode.workspace.openTextDocument(this.uri);
    } catch {
      return undefined;
    }
  }

  private async postRunbook(): Promise<void> {
    const document = await this.document();
    if (!document) {
      this.post({
        type: 'notice',
        level: 'error',
        message: `The runbook ${this.uri.fsPath || this.uri.toString()} cannot be opened any more.`,
      });
      return;
    }
    const settings = readSettings(document.uri);
    const { analysis, simulatable } = this.analyses.current(document);
    const message = buildRunbookMessage(
      { analysis, simulatable },
      { uri: document.uri.toString(), fileName: document.uri.path.split('/').pop() ?? 'runbook', version: document.version },
      { assumptions: settings.assumptions, maxEvents: settings.maxEvents },
      this.focusStepIndex,
    );
    this.post(message);
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  /** Messages from the page are checked before use: the page shows runbook text, so treat it as untrusted. */
  private async onMessage(raw: unknown): Promise<void> {
    if (!raw || typeof raw !== 'object') return;
    const message = raw as WebviewToHost;
    try {
      switch (message.type) {
        case 'ready':
          await this.postRunbook();
          return;
        case 'showProblems':
          await vscode.commands.executeCommand('workbench.actions.view.problems');
          return;
        case 'apply':
          await this.apply(message.change);
          return;
        case 'export':
          await this.export(message.format, message.suggestedName, message.content);
          return;
        case 'revealStep':
          await this.revealStep(message.stepIndex);
          return;
      }
    } catch (error) {
      this.post({ type: 'notice', level: 'error', message: String((error as Error)?.message ?? error) });
    }
  }

  private async apply(change: RunbookChange): Promise<void> {
    const document = await this.document();
    if (!document || !change || typeof change !== 'object') return;
    const text = document.getText();
    const { analysis } = this.analyses.current(document);
    const outcome = editsForChange(text, analysis.runbook, change);
    if ('problem' in outcome) {
      this.post({ type: 'notice', level: 'info', message: outcome.problem });
      return;
    }
    // One WorkspaceEdit: one undo step, and the editor keeps everything it did not touch (comments included).
    const edit = new vscode.WorkspaceEdit();
    for (const textEdit of outcome.edits) {
      edit.replace(
        document.uri,
        new vscode.Range(document.positionAt(textEdit.span.start), document.positionAt(textEdit.span.end)),
        textEdit.newText,
      );
    }
    const applied = await vscode.workspace.applyEdit(edit);
    this.post(
      applied
        ? { type: 'notice', level: 'info', message: `${outcome.description} Undo with Ctrl+Z in the editor.` }
        : { type: 'notice', level: 'error', message: 'The editor refused the change (is the file read-only?).' },
    );
  }

  private async export(format: ExportFormat, suggestedName: unknown, content: unknown): Promise<void> {
    const filters: Record<ExportFormat, Record<string, string[]>> = {
      csv: { CSV: ['csv'] },
      json: { JSON: ['json'] },
      png: { 'PNG image': ['png'] },
    };
    if (!Object.hasOwn(filters, format) || typeof content !== 'string') return;
    // Only a plain file name from the page; the folder is the runbook's.
    const name = (typeof suggestedName === 'string' ? suggestedName : `simulation.${format}`)
      // eslint-disable-next-line no-control-regex -- control characters are not allowed in file names
      .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')
      .slice(0, 200);
    const folder = this.uri.scheme === 'untitled' ? vscode.workspace.workspaceFolders?.[0]?.uri : vscode.Uri.joinPath(this.uri, '..');
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: filters[format],
      saveLabel: 'Export',
    });
    if (!target) return;
    const bytes = format === 'png' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
    await vscode.workspace.fs.writeFile(target, bytes);
    this.post({ type: 'notice', level: 'info', message: `Saved ${target.path.split('/').pop()}.` });
  }

  private async revealStep(stepIndex: unknown): Promise<void> {
    const document = await this.document();
    if (!document || typeof stepIndex !== 'number') return;
    const step = this.analyses.current(document).analysis.runbook.steps[stepIndex];
    if (!step) return;
    const position = document.positionAt(step.itemStart);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(position, position) });
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
    this.disposables.length = 0;
  }
}
