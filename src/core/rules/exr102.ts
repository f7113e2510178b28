import { removeSuppression } from '../edits';
import type { RuleInfo } from './rule';

/** EXR102: a suppression comment that suppresses nothing (findings from suppressions.ts). */
export const exr102: RuleInfo = {
  code: 'EXR102',
  defaultSeverity: 'warning',
  title: 'Suppression comment that suppresses nothing',
  facts: [],
  explanation:
    'An `# exrunbook-disable-next-line CODE` comment names a code that has no diagnostic on the ' +
    'next line or step, or a code that does not exist. Stale suppressions hide future problems.',
  // A comment before another comment applies to the step after both: it cannot silence EXR102.
  offerSuppression: false,
  fadesText: true,
  fixes({ analysis, diagnostic }) {
    const data = diagnostic.data ?? {};
    const code = typeof data.suppressedCode === 'string' ? data.suppressedCode : undefined;
    const codeSpan = isSpan(data.codeSpan) ? data.codeSpan : undefined;
    return [
      {
        title: code ? `Remove ${code} from this suppression comment` : 'Remove this suppression comment',
        edits: removeSuppression(analysis.parsed.text, diagnostic.span, code, codeSpan),
        isPreferred: true,
      },
    ];
  },
};

function isSpan(value: unknown): value is { start: number; end: number } {
  const span = value as { start?: unknown; end?: unknown } | undefined;
  return typeof span?.start === 'number' && typeof span.end === 'number';
}
