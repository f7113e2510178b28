/**
 * Entry of `dist/server.js`, the language server over a message port: the one copy of the server
 * the VSIX ships. On vscode.dev and github.dev the port is a Web Worker's own scope
 * (src/extension/browserMain.ts starts the worker); in VS Code it is the IPC channel to the
 * extension host, which processMain.ts presents as such a port. (`exrunbook lsp --stdio` is node.ts.)
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { version } from '../../package.json';
import { startServer } from './server';
import { answeringMalformedMessages } from './transport';

/** A worker's scope as the server uses it: messages in and out, and close() to end. */
type Port = ConstructorParameters<typeof BrowserMessageReader>[0] & { close?(code?: number): void };

const port = globalThis as unknown as Port;
const reader = new BrowserMessageReader(port);
const writer = new BrowserMessageWriter(port);
const connection = createConnection(
  answeringMalformedMessages(reader, writer, (line) => console.warn(`exrunbook language server: ${line}`)),
  writer,
);
startServer(connection, { version, onExit: (code) => port.close?.(code) });
