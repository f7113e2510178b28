/**
 * The language server over stdin/stdout for editors other than VS Code: `exrunbook lsp --stdio`
 * (src/cli/main.ts). VS Code and the web run the same server over a message port (portMain.ts).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { version } from '../../package.json';
import { startServer } from './server';
import { answeringMalformedMessages, tolerantJsonDecoder } from './transport';

/** The package's folder (the bundles are in its dist/): the rule pages are under docs/rules there. */
const packageRoot = pathToFileURL(join(__dirname, '..')).toString();

/** LSP over stdin/stdout. Nothing else may write to stdout: console output goes to stderr. */
export function startStdioServer(): void {
  for (const name of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    console[name] = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);
  }
  const reader = new StreamMessageReader(process.stdin, { contentTypeDecoder: tolerantJsonDecoder });
  const writer = new StreamMessageWriter(process.stdout);
  const guarded = answeringMalformedMessages(reader, writer, (line) => process.stderr.write(`exrunbook lsp: ${line}\n`));
  const server = startServer(createConnection(ProposedFeatures.all, guarded, writer), { version, defaultPackageRoot: packageRoot });
  // The client went away without `exit` (its end of the pipe closed): stop, as LSP's exit would.
  reader.onClose(() => process.exit(server.shutdownReceived ? 0 : 1));
}
