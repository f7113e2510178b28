/** The extension on vscode.dev and github.dev (the `browser` entry): the language server runs in a Web Worker (dist/server.js). */
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { activateWith } from './activation';

// The web extension host runs in a Web Worker, which can start workers (this tsconfig has no DOM library to declare it).
declare const Worker: new (url: string) => ConstructorParameters<typeof LanguageClient>[3];

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, (options) => {
    const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js');
    return new LanguageClient('exrunbook', 'Exchange Runbook', options, new Worker(serverMain.toString(true)));
  });
}

export function deactivate(): void {
  // Everything, the language client included, is disposed through context.subscriptions.
}
