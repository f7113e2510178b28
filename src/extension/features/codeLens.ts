import * as vscode from 'vscode';
import { codeLenses } from '../../core/features';
import type { RunbookDocuments } from '../runbookDocuments';
import { readSettings } from '../settings';
import { toVsRangeFromSpan } from './shared';

/** "▶ Simulate" and the last simulation's prediction above each move step; refreshed whenever the document's analysis changes. */
export class RunbookCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly documents: RunbookDocuments) {
    this.subscription = documents.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const state = this.documents.current(document);
    const simulating = readSettings(document.uri).simulationEnabled && state.simulatable;
    return codeLenses(state.analysis, { simulation: state.simulation, simulating }).map((lens) => {
      const range = toVsRangeFromSpan(document, lens.span);
      // A lens without a command id renders as plain text.
      const command: vscode.Command = lens.command
        ? { title: lens.title, command: lens.command, arguments: [document.uri, lens.stepIndex] }
        : { title: lens.title, command: '' };
      return new vscode.CodeLens(range, command);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
