/**
 * The language server in a Node process: `dist/server.js` (nodeMain.ts), which the VS Code
 * extension starts over IPC, and `exrunbook lsp --stdio` for other editors (src/cli/main.ts).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { version } from '../../package.json';
import { startServer } from './server';
import { answeringMalformedMessages, tolerantJsonDecoder } from './transport';

/** The package's folder (the bundles are in its dist/): the rule pages are under docs/rules there. */
const packageRoot = pathToFileURL(join(__dirname, '..')).toString();

function start(reader: MessageReader, writer: MessageWriter): void {
  let shutdown = false;
  const guarded = answeringMalformedMessages(reader, writer, (line) => process.stderr.write(`exrunbook lsp: ${line}\n`));
  const connection = createConnection(ProposedFeatures.all, guarded, writer);
  connection.onShutdown(() => {
    shutdown = true;
  });
  // The client went away without `exit` (its end of the pipe closed): stop, as LSP's exit would.
  reader.onClose(() => process.exit(shutdown ? 0 : 1));
  startServer(connection, { version, defaultRuleDocsBase: packageRoot });
}

/** LSP over stdin/stdout. Nothing else may write to stdout: console output goes to stderr. */
export function startStdioServer(): void {
  for (const name of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    console[name] = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);
  }
  start(new StreamMessageReader(process.stdin, { contentTypeDecoder: tolerantJsonDecoder }), new StreamMessageWriter(process.stdout));
}

/** LSP over Node IPC, for the VS Code extension (vscode-languageclient's TransportKind.ipc). */
export function startIpcServer(): void {
  start(new IPCMessageReader(process), new IPCMessageWriter(process));
}
