// ESLint flat config: typescript-eslint's recommended rules for every TypeScript target,
// with Prettier owning the layout (eslint-config-prettier turns off the stylistic rules).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', '.e2e/', '.e2e-web/', 'test-results/', 'src/core/format/generated/', '.vscode-test/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Prettier wraps code at 140; this catches the long strings and comments it leaves alone.
      'max-len': ['error', { code: 140, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    // The core runs in the extension host, the CLI, a language server and a Web Worker: no Node, DOM or editor.
    files: ['src/core/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads'],
              message: 'The core stays pure: adapters do I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    // The extension host does no analysis (the language server does): no runtime import of the core.
    files: ['src/extension/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../core/*', '../../core/*', '../server/*'],
              allowTypeImports: true,
              message: 'Ask the language server (src/extension/client.ts); the host runs no analysis.',
            },
          ],
        },
      ],
    },
  },
  {
    // Shared by two runtimes: types and constants only, nothing that runs.
    files: ['src/protocol/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['*'], allowTypeImports: true, message: 'src/protocol holds types and constants only.' }] },
      ],
    },
  },
  { files: ['src/webview/**/*.ts', 'test/webview/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['**/*.mjs'], languageOptions: { globals: { ...globals.node } } },
  {
    files: ['bin/*.js', 'test/e2e/hostProbe/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  prettier,
);
