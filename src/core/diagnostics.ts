/** Diagnostic types shared by every adapter. Positions are 0-based, characters in UTF-16 code units (as LSP). */

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A half-open range of string offsets into the document text. */
export interface Span {
  start: number;
  end: number;
}

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface RelatedInformation {
  message: string;
  range: Range;
}

/** What a quick fix or hover needs to know about a finding, without re-deriving it. */
export interface FindingData {
  server?: string;
  stepIndex?: number;
  [key: string]: unknown;
}

export interface RunbookDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  span: Span;
  related?: RelatedInformation[];
  data?: FindingData;
}

/** A rule's finding before severity settings and line/character positions are applied. */
export interface Finding {
  code: string;
  span: Span;
  message: string;
  related?: { message: string; span: Span }[];
  data?: FindingData;
}
