import type { RunbookDiagnostic } from '../core/diagnostics';
import { RULES, ruleDocPath } from '../core/rules';

export interface FileDiagnostics {
  file: string;
  diagnostics: RunbookDiagnostic[];
}

/** `file:line:col: severity CODE message`, 1-based as compilers print it. */
export function formatText(results: FileDiagnostics[]): string {
  const lines: string[] = [];
  for (const { file, diagnostics } of results) {
    for (const d of diagnostics) {
      lines.push(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message}`);
    }
  }
  const counts = countBySeverity(results);
  lines.push(
    `${results.length} file${results.length === 1 ? '' : 's'} checked: ${counts.error} ` +
      `error${counts.error === 1 ? '' : 's'}, ${counts.warning} ` +
      `warning${counts.warning === 1 ? '' : 's'}, ${counts.information} information`,
  );
  return lines.join('\n') + '\n';
}

export function countBySeverity(results: FileDiagnostics[]): Record<'error' | 'warning' | 'information' | 'hint', number> {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const { diagnostics } of results) for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

/** The JSON the format doc fixes: 0-based lines and characters, as LSP. */
export function formatJson(results: FileDiagnostics[]): string {
  return (
    JSON.stringify(
      {
        files: results.map(({ file, diagnostics }) => ({
          file,
          diagnostics: diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, range: d.range })),
        })),
      },
      null,
      2,
    ) + '\n'
  );
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

/** SARIF 2.1.0 as GitHub code scanning accepts it: rules with ids and help, 1-based regions, relative URIs. */
export function formatSarif(results: FileDiagnostics[], toolVersion: string): string {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.code, index]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'exrunbook',
            fullName: 'Exchange Runbook Studio',
            version: toolVersion,
            semanticVersion: toolVersion,
            rules: RULES.map((rule) => ({
              id: rule.code,
              name: rule.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ? next.toUpperCase() : '')),
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.explanation },
              help: {
                text: `${rule.explanation} See ${ruleDocPath(rule.code)}.`,
                markdown: `${rule.explanation}\n\nSee \`${ruleDocPath(rule.code)}\`.`,
              },
              defaultConfiguration: { level: SARIF_LEVEL[rule.defaultSeverity] },
              properties: { tags: ['exchange', 'migration'], facts: rule.facts },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap(({ file, diagnostics }) =>
          diagnostics.map((d) => ({
            ruleId: d.code,
            ruleIndex: ruleIndex.get(d.code) ?? -1,
            level: SARIF_LEVEL[d.severity],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: toUri(file), uriBaseId: '%SRCROOT%' },
                  region: {
                    startLine: d.range.start.line + 1,
                    startColumn: d.range.start.character + 1,
                    endLine: d.range.end.line + 1,
                    endColumn: d.range.end.character + 1,
                  },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** A relative, forward-slash, percent-encoded URI reference for a file path. */
function toUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
}
