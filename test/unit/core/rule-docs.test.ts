import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunbookDiagnostic, Severity } from '../../../src/core/diagnostics';
import { lintText } from '../../../src/core/lint';
import { RULES, ruleDocPath } from '../../../src/core/rules';
import { simulate, simulationFindings } from '../../../src/core/simulator';
import { repoRoot } from '../../support';

/**
 * Keeps docs/rules/ true: every rule code has a page whose example produces exactly the
 * output the page shows, and whose fixed example no longer produces that code.
 */

interface FencedBlock {
  language: string;
  /** The line before the opening fence when it is an HTML comment, e.g. `<!-- fixed -->`. */
  marker: string | undefined;
  /** The `## ` section the block is in. */
  section: string | undefined;
  body: string;
}

function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  let section: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('## ')) section = lines[i].slice(3).trim();
    const opening = /^```(\S*)\s*$/.exec(lines[i]);
    if (!opening) continue;
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    assert.ok(end > i, `unclosed code fence at line ${i + 1}`);
    const before = i > 0 ? lines[i - 1].trim() : '';
    blocks.push({
      language: opening[1],
      marker: /^<!--.*-->$/.test(before) ? before : undefined,
      section,
      body: lines.slice(i + 1, end).join('\n') + '\n',
    });
    i = end;
  }
  return blocks;
}

/** The CLI's text format, with the file name the pages use. */
function asCliLine(d: RunbookDiagnostic): string {
  return `example.runbook.yaml:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message}`;
}

/** What `exrunbook lint` reports for a text, with the simulation when the code needs it. */
function diagnosticsOf(text: string, simulated: boolean, severities?: Record<string, Severity>): RunbookDiagnostic[] {
  const first = lintText(text, { severities });
  if (!simulated) return first.diagnostics;
  assert.ok(first.simulatable, 'the example must be simulatable');
  const extraFindings = simulationFindings(first.runbook, simulate(first.runbook));
  return lintText(text, { extraFindings, severities }).diagnostics;
}

function nonEmptyLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

describe('rule documentation pages (docs/rules)', () => {
  for (const rule of RULES) {
    describe(rule.code, () => {
      const path = resolve(repoRoot, ruleDocPath(rule.code));
      // A code found by the simulator rather than by lintText alone.
      const simulated = rule.fromSimulation === true;
      // A rule that is off unless turned on is shown turned on (`exrunbook lint --enable CODE`).
      const severities = rule.enabledByDefault === false ? { [rule.code]: rule.defaultSeverity } : undefined;
      const page = () => readFileSync(path, 'utf8');
      const blocks = () => fencedBlocks(page());
      const example = () => {
        const yamlBlock = blocks().find((block) => block.language === 'yaml');
        assert.ok(yamlBlock, 'the page has no ```yaml example');
        return yamlBlock.body;
      };

      it('has a page headed with its code, title and default severity', () => {
        assert.ok(existsSync(path), `${ruleDocPath(rule.code)} is missing`);
        const lines = page().split(/\r?\n/);
        assert.equal(lines[0], `# ${rule.code}: ${rule.title}`);
        assert.ok(
          lines.includes(`Default severity: **${rule.defaultSeverity}**`),
          `the page must state "Default severity: **${rule.defaultSeverity}**"`,
        );
      });

      it('quotes every fact the rule rests on, and says how to suppress it and change its severity', () => {
        const text = page();
        for (const fact of rule.facts) assert.match(text, new RegExp(`\\| ${fact} \\|`), `fact ${fact} is not quoted`);
        assert.ok(text.includes(`# exrunbook-disable-next-line ${rule.code}`), 'no suppression comment shown');
        assert.ok(text.includes(`"exrunbook.rules": { "${rule.code}": `), 'no severity setting shown');
      });

      it('shows the exact output of its example', () => {
        const output = blocks().find((block) => block.language === 'text');
        assert.ok(output, 'the page has no ```text output');
        const produced = diagnosticsOf(example(), simulated, severities);
        if (output.marker === '<!-- not-checked -->') {
          // The wording is not final, but the example must still trip the rule.
          assert.ok(
            produced.some((d) => d.code === rule.code),
            `the example produces no ${rule.code}`,
          );
          assert.ok(
            nonEmptyLines(output.body).some((line) => line.includes(` ${rule.code} `)),
            `the output shown has no ${rule.code} line`,
          );
          return;
        }
        const expected = nonEmptyLines(output.body);
        assert.ok(
          expected.some((line) => line.includes(` ${rule.code} `)),
          `the output shown has no ${rule.code} line`,
        );
        assert.deepEqual(produced.map(asCliLine), expected);
      });

      it('has a fixed example that no longer produces the code', () => {
        const fixed = blocks().find((block) => block.language === 'yaml' && block.marker === '<!-- fixed -->');
        assert.ok(fixed, 'the page has no ```yaml block marked <!-- fixed -->');
        const remaining = diagnosticsOf(fixed.body, simulated, severities).filter((d) => d.code === rule.code);
        assert.deepEqual(remaining.map(asCliLine), []);
      });

      it('shows a suppression comment that silences the example', function () {
        const snippet = blocks().find((block) => block.language === 'yaml' && block.section === 'Suppressing it');
        // Pages for codes a comment should not or cannot silence explain that in words instead.
        if (!snippet) this.skip();
        const [comment, target] = nonEmptyLines(snippet.body);
        assert.equal(comment.trim(), `# exrunbook-disable-next-line ${rule.code}`);
        const text = example();
        const first = diagnosticsOf(text, simulated, severities).find((d) => d.code === rule.code);
        assert.ok(first, `the example produces no ${rule.code}`);
        // The comment goes before the snippet's line that holds (or starts the step holding) the diagnostic.
        const lines = text.split('\n');
        const at = lines.slice(0, first.range.start.line + 1).lastIndexOf(target);
        assert.ok(at >= 0, `the snippet's line \`${target}\` is not at or above the diagnostic`);
        lines.splice(at, 0, comment);
        const left = diagnosticsOf(lines.join('\n'), simulated, severities).filter((d) => d.code === rule.code || d.code === 'EXR102');
        assert.deepEqual(left.map(asCliLine), []);
      });
    });
  }

  it('has an index listing every code with its default severity, title and page', () => {
    const index = readFileSync(resolve(repoRoot, 'docs/rules/README.md'), 'utf8');
    for (const rule of RULES) {
      const row = `| ${rule.code} | ${rule.defaultSeverity} | ${rule.title} | [${rule.code}.md](${rule.code}.md) |`;
      assert.ok(index.split(/\r?\n/).includes(row), `docs/rules/README.md lacks the row: ${row}`);
    }
  });

  it('has no page for a code that does not exist', () => {
    const codes = new Set(RULES.map((rule) => rule.code));
    const pages = readdirSync(resolve(repoRoot, 'docs/rules')).filter((name) => name !== 'README.md' && name.endsWith('.md'));
    assert.deepEqual(
      pages.filter((name) => !codes.has(name.replace(/\.md$/, ''))),
      [],
    );
  });
});
