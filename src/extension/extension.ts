/** The extension in VS Code's Node extension host: the language server runs in its own Node process (dist/server-process.js). */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import { activateWith } from './activation';

export function activate(context: vscode.ExtensionContext): void {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server-process.js').fsPath;
  activateWith(
    context,
    (options) =>
      new LanguageClient(
        'exrunbook',
        'Exchange Runbook',
        { run: { module, transport: TransportKind.ipc }, debug: { module, transport: TransportKind.ipc } },
        options,
      ),
  );
}

export function deactivate(): void {
  // Everything, the language client included, is disposed through context.subscriptions.
}
