import assert from 'node:assert/strict';
import { buildSimulationHtml, makeNonce } from '../../../src/extension/html';

describe('simulation panel HTML', () => {
  const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
  const nonce = 'abcDEF0123456789abcDEF0123456789';
  const uris = {
    script: `${cspSource}/ext/dist/webview/main.js`,
    worker: `${cspSource}/ext/dist/webview/worker.js`,
    stylesheet: `${cspSource}/ext/dist/webview/main.css`,
    codicons: `${cspSource}/ext/dist/webview/codicon.css`,
  };
  const html = buildSimulationHtml({ cspSource, nonce, uris });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  const directives = new Map(
    (csp ?? '').split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('has a strict Content-Security-Policy with a nonce', () => {
    assert.ok(csp, 'the page declares a CSP');
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepEqual(directives.get('style-src'), [cspSource]);
    assert.deepEqual(directives.get('img-src'), [cspSource, 'data:', 'blob:']);
    assert.deepEqual(directives.get('font-src'), [cspSource]);
    assert.deepEqual(directives.get('worker-src'), ['blob:']);
    assert.deepEqual(directives.get('connect-src'), [cspSource]);
    assert.doesNotMatch(csp!, /unsafe-eval|unsafe-inline|\*/);
  });

  it('loads only its own files, and every script carries the nonce and has no inline code', () => {
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0][1], new RegExp(`nonce="${nonce}"`));
    assert.match(scripts[0][1], /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\/main\.js"/);
    assert.equal(scripts[0][2], '');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /style=/, 'no inline styles');
    for (const match of html.matchAll(/(?:href|src|data-worker-uri)="([^"]*)"/g))
      assert.ok(match[1].startsWith(`${cspSource}/ext/dist/webview/`), match[1]);
  });

  it('escapes what it puts in attributes', () => {
    const hostile = buildSimulationHtml({
      cspSource,
      nonce,
      uris: { ...uris, worker: '"><script>alert(1)</script>' },
      title: '</title><script>',
    });
    assert.equal([...hostile.matchAll(/<script/g)].length, 1);
  });

  it('makes 32-character nonces from random bytes', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const made = makeNonce(() => bytes);
    assert.match(made, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(
      makeNonce(() => bytes.map((b) => b + 1)),
      made,
    );
  });
});
