/** Entry of `dist/server.js`: the extension starts it with `--node-ipc`; `--stdio` works too. */
import { startIpcServer, startStdioServer } from './node';

if (process.argv.includes('--stdio')) startStdioServer();
else startIpcServer();
