import * as vscode from 'vscode';
import { registerEditorFeatures } from './features';
import { RunbookDocuments } from './runbookDocuments';
import { registerSimulationPanel, runSimulateCommand } from './simulatePanel';

/** Activation does only registration: analysis happens per document, on demand. */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Exchange Runbook', { log: true });
  const documents = new RunbookDocuments(context.extensionUri);
  context.subscriptions.push(output, documents, vscode.commands.registerCommand('exrunbook.simulate', runSimulateCommand));
  registerEditorFeatures(context, documents);
  registerSimulationPanel(context, documents);
  output.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
