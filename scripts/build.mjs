// Builds the bundles with esbuild: the extension host (Node and web), the language server (a Node
// process and a Web Worker), the CLI, and the simulation webview with its worker.
// `--production` minifies and drops source maps (what the VSIX ships); `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

execFileSync(process.execPath, [join(root, 'scripts/compile-schema.mjs')], { stdio: 'inherit' });

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  legalComments: production ? 'none' : 'inline',
};

const targets = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  // The language server: one bundle over a message port (a Web Worker's scope on the web), and the
  // small Node entry that VS Code forks, which hands it the IPC channel as that port.
  {
    ...common,
    entryPoints: ['src/server/portMain.ts'],
    outfile: 'dist/server.js',
    platform: 'browser',
    format: 'iife',
    target: ['chrome120', 'node20'],
  },
  {
    ...common,
    entryPoints: ['src/server/processMain.ts'],
    outfile: 'dist/server-process.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20' },
  // The web extension (package.json "browser"): the extension host is a Web Worker, and so is the server.
  {
    ...common,
    entryPoints: ['src/extension/browserMain.ts'],
    outfile: 'dist/browser/extension.js',
    platform: 'browser',
    format: 'cjs',
    target: 'chrome120',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview/main.js',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
  {
    ...common,
    entryPoints: ['src/webview/worker.ts'],
    outfile: 'dist/webview/worker.js',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
  { ...common, entryPoints: ['src/webview/main.css'], outfile: 'dist/webview/main.css', loader: { '.ttf': 'file' } },
];

// A fresh dist/ each build: a bundle that is no longer built must not linger and ship in the VSIX.
rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'dist/webview'), { recursive: true });
// Codicons are copied as shipped (font + css) so the webview can load them under its CSP.
for (const file of ['codicon.css', 'codicon.ttf']) {
  copyFileSync(join(root, 'node_modules/@vscode/codicons/dist', file), join(root, 'dist/webview', file));
}

const started = Date.now();
if (watch) {
  for (const options of targets) (await esbuild.context(options)).watch();
  console.log('watching…');
} else {
  await Promise.all(targets.map((options) => esbuild.build(options)));
  console.log(`built ${targets.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
