#!/usr/bin/env node
'use strict';
// The `exrunbook` command: a thin launcher for the bundled CLI (built by `npm run build`).
// `node dist/cli.js …` runs the same program directly.
let cli;
try {
  cli = require('../dist/cli.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('exrunbook: the CLI is not built yet; run `npm run build` first\n');
    process.exit(2);
  }
  throw error;
}
cli.main(process.argv.slice(2));
