import * as vscode from 'vscode';
import { documentSymbols, foldingRanges, type DocumentSymbolItem, type SymbolKind } from '../../core/features';
import type { RunbookDocuments } from '../runbookDocuments';
import { toVsRangeFromSpan } from './shared';

const KIND: Record<SymbolKind, vscode.SymbolKind> = {
  namespace: vscode.SymbolKind.Namespace,
  server: vscode.SymbolKind.Object,
  step: vscode.SymbolKind.Event,
  property: vscode.SymbolKind.Property,
  object: vscode.SymbolKind.Module,
};

/** Outline and breadcrumbs: Servers > EXCH01…, Steps > wave1 (action as detail). */
export class RunbookSymbols implements vscode.DocumentSymbolProvider {
  constructor(private readonly documents: RunbookDocuments) {}

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const convert = (item: DocumentSymbolItem): vscode.DocumentSymbol => {
      const range = toVsRangeFromSpan(document, item.span);
      const selection = toVsRangeFromSpan(document, item.selectionSpan);
      const symbol = new vscode.DocumentSymbol(
        item.name,
        item.detail,
        KIND[item.kind],
        range,
        range.contains(selection) ? selection : new vscode.Range(range.start, range.start),
      );
      symbol.children = item.children.map(convert);
      return symbol;
    };
    return documentSymbols(this.documents.current(document).analysis).map(convert);
  }
}

export class RunbookFolding implements vscode.FoldingRangeProvider {
  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    return foldingRanges(document.getText()).map(
      (range) =>
        new vscode.FoldingRange(range.startLine, range.endLine, range.kind === 'comment' ? vscode.FoldingRangeKind.Comment : undefined),
    );
  }
}
