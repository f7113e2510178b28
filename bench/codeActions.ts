/**
 * Quick-fix benchmark: what one lightbulb costs on large runbooks (the extension asks after an
 * edit, on the incremental analysis), and the suppression comment that names 10,000 codes.
 * Prints figures; nothing here is asserted. Run: npm run bench:code-actions
 */
import { codeActions, diagnosticsAt } from '../src/core/features';
import { IncrementalAnalyzer } from '../src/core/incremental/incrementalAnalyzer';
import { analyze, toDiagnostics } from '../src/core/lint';
import { generateRunbook } from './runbookGenerator';

function time<T>(run: () => T): { result: T; ms: number } {
  const started = process.hrtime.bigint();
  const result = run();
  return { result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

function lightbulb(steps: number): void {
  const text = generateRunbook({ steps, seed: 7 });
  const analyzer = new IncrementalAnalyzer();
  analyzer.update(text);
  // An edit near the end, as typing does; the lightbulb then asks about a move in the middle.
  const edited = text.replace(/title: Step (\d+) of/, 'title: Step $1 of the');
  const analysis = analyzer.update(edited);
  const diagnostics = toDiagnostics(analysis);
  const moves = diagnostics.filter((d) => d.code === 'EXR001');
  if (moves.length === 0) throw new Error('the generated runbook has no EXR001');
  // The first lightbulb after the edit, then nine more on other moves.
  const times: number[] = [];
  let actions = 0;
  for (let i = 0; i < 10; i++) {
    const target = moves[Math.floor(((i + 1) * moves.length) / 11)];
    const atCursor = diagnosticsAt(diagnostics, { start: target.span.start, end: target.span.start });
    const { result, ms } = time(() => codeActions(analysis, atCursor));
    actions += result.length;
    times.push(ms);
  }
  const [first, ...rest] = times;
  rest.sort((a, b) => a - b);
  console.log(
    `${(edited.length / 1048576).toFixed(1)} MB, ${steps} steps (${analyzer.lastUpdate} analysis): first lightbulb ` +
      `${first.toFixed(1)} ms, then median ${rest[Math.floor(rest.length / 2)].toFixed(1)} ms (${actions} actions in 10)`,
  );
}

function suppressionOfManyCodes(count: number): void {
  const codes = Array.from({ length: count }, (_, i) => `XYZ${i}`).join(', ');
  const text =
    'runbook: 1\nname: n\nservers:\n  - name: A\n    exchange: 2003\nsteps:\n' +
    `  # exrunbook-disable-next-line ${codes}\n  - id: w\n    action: wait\n    duration: 1m\n`;
  const analysis = analyze(text);
  const diagnostics = toDiagnostics(analysis);
  const { result, ms } = time(() => codeActions(analysis, diagnostics));
  console.log(`a suppression naming ${count} codes: ${diagnostics.length} EXR102, ${result.length} actions in ${ms.toFixed(1)} ms`);
}

for (const steps of [10_000, 25_000]) lightbulb(steps);
for (const count of [1_000, 10_000]) suppressionOfManyCodes(count);
