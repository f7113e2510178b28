// The e2e host probe (test only; test/e2e/lib/hostProbe.mjs packages and installs it beside the
// VSIX under test). Its command answers at once by changing its status bar item to
// "probe <n> <host time>": the page times the round trip from the key press (a keybinding, so no
// palette is drawn) to the status bar showing the answer. It runs in the same extension host as
// the extension under test (extensionKind workspace), so whatever holds that host delays it.
const vscode = require('vscode');

exports.activate = function activate(context) {
  const item = vscode.window.createStatusBarItem('exrunbookE2e.probe', vscode.StatusBarAlignment.Left, -1000);
  item.name = 'Exchange Runbook e2e host probe';
  item.text = 'probe 0';
  item.show();
  let count = 0;
  context.subscriptions.push(
    item,
    vscode.commands.registerCommand('exrunbookE2e.ping', () => {
      count++;
      item.text = `probe ${count} ${Date.now()}`;
    }),
  );
};

exports.deactivate = function deactivate() {};
