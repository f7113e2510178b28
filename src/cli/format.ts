import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunbookDiagnostic, Span } from '../core/diagnostics';
import type { Analysis } from '../core/lint';
import { serverKey } from '../core/model/types';
import { RULES, ruleDocPath } from '../core/rules';

export interface FileDiagnostics {
  /** The path as given (or the name standard input goes by). */
  file: string;
  diagnostics: RunbookDiagnostic[];
  /** The analysis the diagnostics came from: SARIF fingerprints name the step or server a finding is in. */
  analysis?: Analysis;
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

export interface SarifOptions {
  /** The directory relative paths in `results` are relative to. */
  cwd: string;
  /** `%SRCROOT%`: paths under it become relative URIs, the others absolute `file:` URIs. */
  root: string;
}

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: rules with ids and help, 1-based regions, URIs
 * relative to `%SRCROOT%` (or absolute `file:` URIs outside it), and partial fingerprints that
 * survive lines moving (docs/reliability.md). Checked against the OASIS schema in the tests.
 */
export function formatSarif(results: FileDiagnostics[], toolVersion: string, options: SarifOptions): string {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.code, index]));
  const root = resolve(options.cwd, options.root);
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
              defaultConfiguration: {
                level: SARIF_LEVEL[rule.defaultSeverity],
                ...(rule.enabledByDefault === false ? { enabled: false } : {}),
              },
              properties: { tags: ['exchange', 'migration'], facts: rule.facts },
            })),
          },
        },
        // The base's own URI ends with a slash, as SARIF requires of a directory.
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(root) } },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap(({ file, diagnostics, analysis }) => {
          const artifactLocation = artifactLocationOf(resolve(options.cwd, file), root);
          const fingerprint = fingerprinter(analysis);
          return diagnostics.map((d) => ({
            ruleId: d.code,
            ruleIndex: ruleIndex.get(d.code) ?? -1,
            level: SARIF_LEVEL[d.severity],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation,
                  region: {
                    startLine: d.range.start.line + 1,
                    startColumn: d.range.start.character + 1,
                    endLine: d.range.end.line + 1,
                    endColumn: d.range.end.character + 1,
                  },
                },
              },
            ],
            partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(d) },
          }));
        }),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

const SRCROOT = '%SRCROOT%';
/** Versioned: a change to what the fingerprint hashes must change its name, or code scanning would mismatch alerts. */
const FINGERPRINT_KEY = 'exrunbookFinding/v1';

/** A relative URI under `%SRCROOT%` for files inside `root`, an absolute `file:` URI for the others. */
export function artifactLocationOf(absolutePath: string, root: string): { uri: string; uriBaseId?: string } {
  const fromRoot = relative(root, absolutePath);
  const outside = fromRoot === '' || fromRoot === '..' || fromRoot.startsWith('..' + sep) || isAbsolute(fromRoot);
  if (outside) return { uri: pathToFileURL(absolutePath).href };
  // Each segment percent-encoded on its own: a backslash in a POSIX file name is part of the name, not a separator.
  return { uri: fromRoot.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith('/') ? href : href + '/';
}

/**
 * Partial fingerprints that stay the same when lines are added above a finding: the rule, where the
 * finding is (step id, server name or the runbook), the text it points at, and its rank among
 * findings alike in all three, hashed.
 */
function fingerprinter(analysis: Analysis | undefined): (d: RunbookDiagnostic) => string {
  const text = analysis?.parsed.text ?? '';
  const steps = sortedBySpan(
    (analysis?.runbook.steps ?? []).map((step) => ({ span: step.span, name: `step:${step.id?.value ?? `#${step.index + 1}`}` })),
  );
  const servers = sortedBySpan(
    (analysis?.runbook.servers ?? []).map((server) => ({
      span: server.span,
      name: `server:${server.name ? serverKey(server.name.value) : `#${server.index + 1}`}`,
    })),
  );
  const seen = new Map<string, number>();
  return (d) => {
    const where = enclosing(steps, d.span) ?? enclosing(servers, d.span) ?? 'runbook';
    const what = text.slice(d.span.start, d.span.end).replace(/\s+/g, ' ').trim().slice(0, 200);
    const identity = `${d.code}\u0000${where}\u0000${what}`;
    const rank = seen.get(identity) ?? 0;
    seen.set(identity, rank + 1);
    return createHash('sha256').update(`${identity}\u0000${rank}`).digest('hex').slice(0, 32);
  };
}

interface NamedSpan {
  span: Span;
  name: string;
}

function sortedBySpan(items: NamedSpan[]): NamedSpan[] {
  return items.sort((a, b) => a.span.start - b.span.start);
}

/** The name of the last item starting at or before `span` that also contains it (binary search: 10,000 steps stay fast). */
function enclosing(sorted: NamedSpan[], span: Span): string | undefined {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (sorted[mid].span.start <= span.start) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  if (found < 0) return undefined;
  const item = sorted[found];
  return span.end <= item.span.end ? item.name : undefined;
}
