/** Editor features as pure functions of the runbook text and its analysis (the VS Code adapters live in src/extension/features). */
export { codeActions, diagnosticsAt, type CodeActionItem } from './codeActions';
export { codeLenses, predictionFor, SIMULATE_COMMAND, type CodeLensItem, type SimulationStatus } from './codeLens';
export { completions, type CompletionItem, type CompletionKind } from './completion';
export { hover, ruleSection, type HoverOptions, type HoverResult } from './hover';
export { documentSymbols, foldingRanges, type DocumentSymbolItem, type FoldingRangeItem, type SymbolKind } from './symbols';
