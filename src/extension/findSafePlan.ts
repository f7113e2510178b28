/**
 * "Find a safe plan": asks the language server to run the planner on the runbook (with a
 * cancellable progress notification), lists the plans it found, and applies the one chosen as a
 * single WorkspaceEdit (one undo). Nothing here analyses the runbook.
 */
import * as vscode from 'vscode';
import { describeChange } from '../protocol/panel';
import type { LspTextEdit } from '../protocol/server';
import type { PanelServer, RunbookServer } from './client';

/**
 * The server's text edits for a document as one WorkspaceEdit: one undo step, and the editor keeps
 * everything they do not touch. The command below and the simulation panel's "Apply" (plans and
 * what-ifs) write through this.
 */
export function oneWorkspaceEdit(
  server: Pick<PanelServer, 'asRange'>,
  uri: vscode.Uri,
  edits: readonly LspTextEdit[],
): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const change of edits) edit.replace(uri, server.asRange(change.range), change.newText);
  return edit;
}

export async function findSafePlan(server: RunbookServer, uriArgument?: unknown): Promise<void> {
  const uri =
    typeof uriArgument === 'string'
      ? vscode.Uri.parse(uriArgument)
      : uriArgument instanceof vscode.Uri
        ? uriArgument
        : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('Open a runbook to find a safe plan for it.');
    return;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Finding a safe plan', cancellable: true },
    async (progress, token) => {
      let reported = 0;
      return server.findPlans(uri, token, ({ searched, candidates, found }) => {
        const share = Math.min(100, (searched / Math.max(1, candidates)) * 100);
        progress.report({ message: `${searched} of ${candidates} candidates simulated, ${found} safe`, increment: share - reported });
        reported = share;
      });
    },
  );
  if (!result) return;
  if ('problem' in result) {
    void vscode.window.showWarningMessage(result.problem);
    return;
  }
  if (result.plans.length === 0) {
    const why = result.asWritten?.problems[0];
    void vscode.window.showWarningMessage(
      `No safe plan found (${result.searched} candidates simulated, ${result.stopped}).${why ? ` ${why}` : ''}`,
    );
    return;
  }
  const items = result.plans.map((plan, i) => ({
    label: `Plan ${i + 1}: ends ${plan.finish}`,
    description: `mail ${plan.mail} · peak ${plan.peakThreadsBusy} of ${plan.threadPool} threads · worst queue ${plan.worstLocalDeliveryQueue.toLocaleString('en-US')} · ${plan.stepsChanged} step${plan.stepsChanged === 1 ? '' : 's'} changed`,
    detail: describeChange(plan),
    plan,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Safe plans: those that keep mail up first, then the fastest',
    placeHolder: 'Apply a plan to the runbook',
  });
  if (!picked || picked.plan.edits.length === 0) return;
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.version !== result.version) {
    void vscode.window.showWarningMessage('The runbook changed while the plans were searched: run "Find a safe plan" again.');
    return;
  }
  await vscode.workspace.applyEdit(oneWorkspaceEdit(server, uri, picked.plan.edits));
}
