/**
 * Entry of `dist/server-process.js`, the process VS Code starts for the language server
 * (vscode-languageclient, TransportKind.ipc): it presents the IPC channel to the extension host as
 * the message port that dist/server.js expects (a Web Worker's scope on the web) and loads it, so
 * the desktop and the web run the same server bundle. The process ends on LSP's `exit`, or when
 * the channel closes (the extension host went away).
 */
import { join } from 'node:path';

interface Port {
  postMessage(message: unknown): void;
  addEventListener(type: string, listener: unknown): void;
  close(code?: number): void;
}

const port = globalThis as unknown as Port;
port.postMessage = (message) => process.send?.(message);
// The reader and writer listen for 'error' events; a broken channel ends the process instead (below).
port.addEventListener = () => undefined;
port.close = (code = 0) => process.exit(code);
Object.defineProperty(globalThis, 'onmessage', {
  set(listener: (event: { data: unknown }) => void) {
    process.on('message', (data) => listener({ data }));
  },
});
process.on('disconnect', () => process.exit(0));

// Loaded at run time, not bundled: it is the bundle the web runs too.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(join(__dirname, 'server.js'));
