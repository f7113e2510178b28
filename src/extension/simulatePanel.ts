/**
 * The host side of the "Simulate migration" webview: one panel per runbook, opened beside the
 * editor, fed the language server's model of the runbook (asked again 500 ms after edits),
 * restored after a reload by its serializer, and carrying out what the page asks: write a what-if
 * into the runbook (edits from the server, applied as one undoable WorkspaceEdit), find safe plans
 * (the server's search, with progress and cancel) and apply one the same way, save an export, open
 * the Problems panel, reveal a step. Nothing here analyses the runbook.
 */
import * as vscode from 'vscode';
import {
  SIMULATION_VIEW_TYPE,
  type ExportFormat,
  type HostToWebview,
  type PanelState,
  type RunbookChange,
  type WebviewToHost,
} from '../protocol/panel';
import type { FindPlansResult, LspTextEdit, RunbookModel } from '../protocol/server';
import type { PanelServer } from './client';
import { oneWorkspaceEdit } from './findSafePlan';
import { buildSimulationHtml, makeNonce } from './html';
import { baseName, planDescription, plansMessage, runbookMessage } from './panelHost';

/** Re-simulate this long after typing stops (the issue asks for about half a second). */
const FOLLOW_DEBOUNCE_MS = 500;

let panels: SimulationPanels | undefined;

/**
 * Registers the panel serializer (so panels come back after a reload) and keeps panels in step
 * with their documents. Call once from activate().
 */
export function registerSimulationPanel(context: vscode.ExtensionContext, server: PanelServer): void {
  panels = new SimulationPanels(context.extensionUri, server);
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
  // A CodeLens from the language server passes the URI as a string.
  const target =
    uri instanceof vscode.Uri ? uri : typeof uri === 'string' ? vscode.Uri.parse(uri) : vscode.window.activeTextEditor?.document.uri;
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
    private readonly server: PanelServer,
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
    const simulation = new SimulationPanel(panel, uri, this.extensionUri, this.server, focusStepIndex);
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
  return `Simulation: ${baseName(uri.path)}`;
}

/** One panel following one runbook document. */
class SimulationPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The model last posted to the page (its steps' offsets serve "Go to"). */
  private shown: RunbookModel | undefined;
  /** Increases with every request for the model: an answer to an older one is dropped. */
  private requests = 0;
  /** The search for plans running in the server (the page's Cancel ends it). */
  private search: vscode.CancellationTokenSource | undefined;
  /** The last plans found, with their edits: the page names one by index to apply it. */
  private plans: Extract<FindPlansResult, { plans: unknown }> | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly uri: vscode.Uri,
    extensionUri: vscode.Uri,
    private readonly server: PanelServer,
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
    const request = ++this.requests;
    const model = await this.model(document);
    if (request !== this.requests || !model) return;
    this.shown = model;
    this.post(runbookMessage(model, { uri: document.uri.toString(), fileName: baseName(document.uri.path) }, this.focusStepIndex));
  }

  /** The server's model of the document as the editor has it now (asked twice at most if the server is a version behind). */
  private async model(document: vscode.TextDocument): Promise<RunbookModel | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      let model: RunbookModel | null;
      try {
        model = await this.server.runbookModel(document.uri);
      } catch (error) {
        this.post({ type: 'notice', level: 'error', message: `The language server did not answer: ${describe(error)}` });
        return undefined;
      }
      if (!model) {
        this.post({ type: 'notice', level: 'error', message: 'The language server does not have this runbook open; see its output.' });
        return undefined;
      }
      if (model.version >= document.version || attempt === 1) return model;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return undefined;
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
        case 'findPlans':
          await this.findPlans();
          return;
        case 'cancelPlans':
          this.search?.cancel();
          return;
        case 'applyPlan':
          await this.applyPlan(message.documentVersion, message.index);
          return;
      }
    } catch (error) {
      this.post({ type: 'notice', level: 'error', message: describe(error) });
    }
  }

  private async apply(change: RunbookChange): Promise<void> {
    const document = await this.document();
    if (!document || !change || typeof change !== 'object') return;
    const outcome = await this.server.panelEdits(document.uri, change);
    if (!outcome) {
      this.post({ type: 'notice', level: 'error', message: 'The language server does not have this runbook open; see its output.' });
      return;
    }
    if ('problem' in outcome) {
      this.post({ type: 'notice', level: 'info', message: outcome.problem });
      return;
    }
    await this.write(document, outcome);
  }

  /**
   * Writes the server's edits (made for `version`) into the runbook as one undoable edit, and says
   * so on the page. What-ifs ("Insert hotfix step", …) and plans ("Apply") both come here.
   */
  private async write(
    document: vscode.TextDocument,
    outcome: { version: number; edits: LspTextEdit[]; description: string },
    changedWhile = 'while the edit was prepared',
  ): Promise<void> {
    if (outcome.version !== document.version) {
      this.post({
        type: 'notice',
        level: 'info',
        message: `The runbook changed ${changedWhile}; nothing was written. Try again.`,
      });
      return;
    }
    // The change goes into an editor, never straight to disk: with the runbook's editor closed, a
    // WorkspaceEdit changes a document nobody sees (and auto save may write it), and "Undo with
    // Ctrl+Z" would point at an editor that is not there. So show the document first (beside the
    // panel, keeping the focus here), then apply the edit there, unsaved and undoable.
    const key = document.uri.toString();
    const wasVisible = vscode.window.visibleTextEditors.some((editor) => editor.document.uri.toString() === key);
    if (!wasVisible) {
      // Beside the panel: in the panel's own group it would hide the panel and the notice with it.
      const viewColumn = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
      await vscode.window.showTextDocument(document, { viewColumn, preserveFocus: true, preview: false });
    }
    // One WorkspaceEdit: one undo step, and the editor keeps everything it did not touch (comments included).
    const applied = await vscode.workspace.applyEdit(oneWorkspaceEdit(this.server, document.uri, outcome.edits));
    const where = wasVisible ? 'in its editor' : `in ${baseName(document.uri.path)}, opened beside this panel`;
    this.post(
      applied
        ? {
            type: 'notice',
            level: 'info',
            message: `${outcome.description} The change is ${where}${document.isDirty ? ', not saved yet' : ''}: undo it there with Ctrl+Z.`,
            documentVersion: document.version,
          }
        : { type: 'notice', level: 'error', message: 'The editor refused the change (is the file read-only?).' },
    );
  }

  /**
   * Asks the language server for safe plans (the search runs there, never on this thread), with
   * each plan's runbook model for the page's overlay; progress and the answer go to the page.
   */
  private async findPlans(): Promise<void> {
    const document = await this.document();
    if (!document) return;
    this.search?.cancel();
    const search = new vscode.CancellationTokenSource();
    this.search = search;
    this.plans = undefined;
    try {
      const result = await this.server.findPlans(
        document.uri,
        search.token,
        ({ searched, candidates, found }) => {
          if (this.search === search) this.post({ type: 'planProgress', searched, candidates, found });
        },
        { models: true },
      );
      if (this.search !== search) return;
      if (result && 'plans' in result) this.plans = result;
      // Cancelled, the server answers with the plans found so far; a client may also give no answer.
      this.post(
        !result && search.token.isCancellationRequested
          ? { type: 'plans', documentVersion: document.version, cancelled: true }
          : plansMessage(result, document.version),
      );
    } catch (error) {
      if (this.search !== search) return;
      this.post(
        search.token.isCancellationRequested
          ? { type: 'plans', documentVersion: document.version, cancelled: true }
          : { type: 'plans', documentVersion: document.version, problem: `The language server did not answer: ${describe(error)}` },
      );
    } finally {
      if (this.search === search) this.search = undefined;
      search.dispose();
    }
  }

  /** "Apply" on a plan: the edits the server sent with it, checked against the version they were made for. */
  private async applyPlan(documentVersion: unknown, index: unknown): Promise<void> {
    const document = await this.document();
    const plans = this.plans;
    const plan = typeof index === 'number' && plans && plans.version === documentVersion ? plans.plans[index] : undefined;
    if (!document || !plans || !plan) {
      this.post({ type: 'notice', level: 'info', message: 'That plan is no longer the one found for this runbook: find plans again.' });
      return;
    }
    if (plan.edits.length === 0) {
      this.post({ type: 'notice', level: 'info', message: 'The runbook as written is already safe; nothing to change.' });
      return;
    }
    await this.write(
      document,
      { version: plans.version, edits: plan.edits, description: planDescription(plan, index as number) },
      'since the plans were found',
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
    // atob and TextEncoder exist in the Node and the web extension host alike (Buffer only in Node).
    const bytes = format === 'png' ? Uint8Array.from(atob(content), (c) => c.charCodeAt(0)) : new TextEncoder().encode(content);
    await vscode.workspace.fs.writeFile(target, bytes);
    this.post({ type: 'notice', level: 'info', message: `Saved ${target.path.split('/').pop()}.` });
  }

  private async revealStep(stepIndex: unknown): Promise<void> {
    const document = await this.document();
    if (!document || typeof stepIndex !== 'number') return;
    const model = this.shown?.version === document.version ? this.shown : await this.model(document);
    const step = model?.version === document.version ? model.runbook.steps[stepIndex] : undefined;
    if (!step) return;
    const position = document.positionAt(step.itemStart);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(position, position) });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.search?.cancel();
    for (const disposable of this.disposables) disposable.dispose();
    this.disposables.length = 0;
  }
}

function describe(error: unknown): string {
  return String((error as Error)?.message ?? error);
}
