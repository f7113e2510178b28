import assert from 'node:assert/strict';
import { lintText } from '../../../src/core/lint';
import { readExample } from '../../support';

const exposed = readExample('kb924567-exposed.runbook.yaml');

/** The EXR101 diagnostics of the exposed example with its `to:` line changed to `line`. */
function withToLine(line: string) {
  const text = exposed.replace('    to: EXCH02\n', `${line}\n`);
  const diagnostics = lintText(text).diagnostics;
  assert.ok(diagnostics.every((d) => d.code === 'EXR101'));
  return { text, diagnostics };
}

describe('YAML syntax errors in plain words (issue 17)', () => {
  it('an over-indented key: one error, on that key, saying how many spaces to remove', () => {
    const { text, diagnostics } = withToLine('       to: EXCH02');
    assert.equal(diagnostics.length, 1);
    const [error] = diagnostics;
    assert.equal(
      error.message,
      'Not well-formed YAML: `to` is indented 3 spaces more than `from` on the line above; keys of one mapping start in the same column. Remove 3 spaces.',
    );
    assert.equal(text.slice(error.span.start, error.span.end), '   to');
    assert.equal(error.range.start.line, text.slice(0, text.indexOf('       to:')).split('\n').length - 1);
  });

  it('one tab: one error, on the tab, instead of its echoes', () => {
    for (const line of ['\tto: EXCH02', '  \t  to: EXCH02']) {
      const { text, diagnostics } = withToLine(line);
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics.map((d) => d.message)));
      assert.match(diagnostics[0].message, /^Not well-formed YAML: this line is indented with a tab; YAML indents with spaces only\./);
      assert.equal(text.slice(diagnostics[0].span.start, diagnostics[0].span.end).includes('\t'), true);
    }
  });

  it('a tab inside a block scalar is text, and errors that are no echoes are all kept', () => {
    const notes = exposed.replace('    to: EXCH02\n', '    to: EXCH02\n    notes: |\n      \tindented with a tab\n');
    assert.equal(lintText(notes).diagnostics.filter((d) => d.code === 'EXR101').length, 0);
    const twice = exposed
      .replace('    to: EXCH02\n', '    to: EXCH02\n    to: EXCH03\n')
      .replace('    from: EXCH01\n', '    from: EXCH01\n    from: EXCH01\n');
    const duplicates = lintText(twice).diagnostics.filter((d) => d.code === 'EXR101');
    assert.equal(duplicates.length, 2);
    assert.ok(duplicates.every((d) => /appears twice in this mapping/.test(d.message)));
  });
});
