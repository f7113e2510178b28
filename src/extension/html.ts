/**
 * The simulation panel's HTML. Pure (no vscode import) so tests read exactly what the panel gets.
 * Nothing from the runbook appears here: the page fills itself in from messages, with textContent.
 */

export interface WebviewUris {
  script: string;
  worker: string;
  stylesheet: string;
  codicons: string;
}

/** The Content-Security-Policy of the panel: nothing runs or loads unless listed. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
    // The worker's script is fetched from the extension's files and started from a blob: URL,
    // because a Worker on a webview resource URI is cross-origin.
    `connect-src ${cspSource}`,
    `worker-src blob:`,
  ].join('; ');
}

export function buildSimulationHtml(options: { cspSource: string; nonce: string; uris: WebviewUris; title?: string }): string {
  const { cspSource, nonce, uris } = options;
  const attribute = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attribute(uris.codicons)}">
<link rel="stylesheet" href="${attribute(uris.stylesheet)}">
<title>${escapeText(options.title ?? 'Simulation')}</title>
</head>
<body>
<main id="app" data-worker-uri="${attribute(uris.worker)}" aria-live="polite">
<p class="loading">Loading the simulation…</p>
</main>
<script nonce="${attribute(nonce)}" src="${attribute(uris.script)}"></script>
</body>
</html>
`;
}

/** 32 characters of [A-Za-z0-9] from a cryptographic source. */
export function makeNonce(randomBytes: (size: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(32), (byte) => alphabet[byte % alphabet.length]).join('');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
