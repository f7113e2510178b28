/**
 * What activation does, in VS Code and on the web alike: register the commands, the language
 * status item and the simulation panel, then start the language server once activate() has
 * returned (so activation stays a few milliseconds however big the open runbooks are).
 */
import * as vscode from 'vscode';
import { RunbookServer, type CreateClient } from './client';
import { NEW_RUNBOOK_COMMAND, newRunbook } from './newRunbook';
import { SHOW_RULE_COMMAND } from '../protocol/server';
import { findSafePlan } from './findSafePlan';
import { registerSimulationPanel, runSimulateCommand } from './simulatePanel';

export function activateWith(context: vscode.ExtensionContext, createClient: CreateClient): void {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Exchange Runbook', { log: true });
  const server = new RunbookServer(context, output, createClient);
  context.subscriptions.push(
    output,
    server,
    vscode.commands.registerCommand('exrunbook.simulate', runSimulateCommand),
    vscode.commands.registerCommand('exrunbook.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('exrunbook.restartServer', () => server.restart()),
    vscode.commands.registerCommand(NEW_RUNBOOK_COMMAND, newRunbook),
    vscode.commands.registerCommand(SHOW_RULE_COMMAND, (code: unknown) => showRule(context, code)),
    vscode.commands.registerCommand('exrunbook.findSafePlan', (uri?: unknown) => findSafePlan(server, uri)),
  );
  registerSimulationPanel(context, server);
  output.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
  // A failed start is logged and shown in the language status item; the panel's requests report it too.
  setTimeout(() => void server.start().catch(() => undefined), 0);
}

/** A rule page, rendered (the Markdown preview), not its editable file in the install folder. */
async function showRule(context: vscode.ExtensionContext, code: unknown): Promise<void> {
  if (typeof code !== 'string' || !/^EXR\d{3}$/.test(code)) return;
  const page = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${code}.md`);
  await vscode.commands.executeCommand('markdown.showPreview', page);
}
