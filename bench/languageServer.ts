/**
 * yaml-language-server 1.25 validating a runbook against schemas/runbook.schema.json, set up as its
 * own tests set it up (getLanguageService + a schema request service + a schema associated with the
 * file name): the reference the benchmark compares with.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface TextDocumentModule {
  TextDocument: { create(uri: string, languageId: string, version: number, content: string): unknown };
}
interface YamlLanguageService {
  configure(settings: { validate: boolean; schemas: { uri: string; fileMatch: string[] }[] }): void;
  doValidation(document: unknown, isKubernetes: boolean): Promise<unknown[]>;
}
interface YamlLanguageServerModule {
  getLanguageService(params: {
    schemaRequestService: (uri: string) => Promise<string>;
    workspaceContext: { resolveRelativePath(relativePath: string, resource: string): string };
  }): YamlLanguageService;
}

const SCHEMA_URI = 'file:///bench/runbook.schema.json';
const DOCUMENT_URI = 'file:///bench/generated.runbook.yaml';

export class LanguageServerValidator {
  private readonly service: YamlLanguageService;
  private readonly textDocument: TextDocumentModule['TextDocument'];
  private version = 0;

  constructor(projectRoot: string) {
    // Loaded at run time: a devDependency the product never ships.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const server = require('yaml-language-server') as YamlLanguageServerModule;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.textDocument = (require('vscode-languageserver-textdocument') as TextDocumentModule).TextDocument;
    const schema = readFileSync(join(projectRoot, 'schemas/runbook.schema.json'), 'utf8');
    this.service = server.getLanguageService({
      schemaRequestService: async (uri) => {
        if (uri === SCHEMA_URI) return schema;
        throw new Error(`no schema at ${uri}`);
      },
      workspaceContext: { resolveRelativePath: (relativePath) => relativePath },
    });
    this.service.configure({ validate: true, schemas: [{ uri: SCHEMA_URI, fileMatch: ['*.runbook.yaml'] }] });
  }

  /** Validates `text` as a new version of the document (the server re-parses it, as after an edit). */
  async validate(text: string): Promise<number> {
    const document = this.textDocument.create(DOCUMENT_URI, 'yaml', ++this.version, text);
    return (await this.service.doValidation(document, false)).length;
  }
}
