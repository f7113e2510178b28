/** Editor features as pure functions of the runbook text and its analysis (the language server, src/server/features.ts, turns them into LSP). */
export { codeActions, diagnosticsAt, type CodeActionItem } from './codeActions';
export { codeLenses, predictionFor, SIMULATE_COMMAND, type CodeLensItem, type SimulationStatus } from './codeLens';
export { completions, type CompletionItem, type CompletionKind } from './completion';
export { hover, ruleLine, ruleSection, type HoverOptions, type HoverResult } from './hover';
export {
  documentSymbols,
  foldingRanges,
  type DocumentSymbolItem,
  type FoldingRangeItem,
  type FoldingRanges,
  type SymbolKind,
} from './symbols';
