/**
 * Entry of `dist/browser/server.js`: the language server in a Web Worker, for the extension on
 * vscode.dev and github.dev (src/extension/browserMain.ts starts it). Same server, other transport.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { version } from '../../package.json';
import { startServer } from './server';
import { answeringMalformedMessages } from './transport';

// The worker's own global scope is the message port to the extension.
const port = globalThis as unknown as ConstructorParameters<typeof BrowserMessageReader>[0];
const reader = new BrowserMessageReader(port);
const writer = new BrowserMessageWriter(port);
const connection = createConnection(
  answeringMalformedMessages(reader, writer, (line) => console.warn(`exrunbook language server: ${line}`)),
  writer,
);
startServer(connection, { version });
