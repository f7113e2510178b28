/**
 * Answers what vscode-jsonrpc would only log: a message that is not JSON gets JSON-RPC's Parse
 * error (-32700), one that is JSON but neither a request, a notification nor a response gets
 * Invalid Request (-32600). Either is logged; the server goes on with the next message.
 */
import { ErrorCodes, type DataCallback, type Message, type MessageReader, type MessageWriter } from 'vscode-languageserver';

/** What the decoder hands on for a body that is not JSON: the reader below answers it. */
interface Unparsable {
  unparsable: string;
}

/** Decodes a message body as JSON, never failing: a body that does not parse becomes an Unparsable. */
export const tolerantJsonDecoder = {
  name: 'application/json',
  decode(buffer: Uint8Array, options: { charset: string }): Promise<Message> {
    const text = new TextDecoder(options.charset).decode(buffer);
    try {
      return Promise.resolve(JSON.parse(text) as Message);
    } catch (error) {
      return Promise.resolve({ unparsable: `${(error as Error).message}: ${preview(text)}` } as Unparsable as unknown as Message);
    }
  },
};

/** Passes well-formed messages on and answers malformed ones with the protocol's error. */
export function answeringMalformedMessages(reader: MessageReader, writer: MessageWriter, log: (line: string) => void): MessageReader {
  return {
    onError: reader.onError,
    onClose: reader.onClose,
    onPartialMessage: reader.onPartialMessage,
    dispose: () => reader.dispose(),
    listen(callback: DataCallback) {
      return reader.listen((message) => {
        const problem = malformed(message);
        if (!problem) {
          callback(message);
          return;
        }
        log(
          `answered a malformed message with ${problem.code === ErrorCodes.ParseError ? 'Parse error' : 'Invalid Request'}: ${problem.detail}`,
        );
        const error = {
          code: problem.code,
          message: `${problem.code === ErrorCodes.ParseError ? 'Parse error' : 'Invalid Request'}: ${problem.detail}`,
        };
        void writer.write({ jsonrpc: '2.0', id: problem.id, error } as Message).catch(() => undefined);
      });
    },
  };
}

function malformed(message: unknown): { code: number; id: string | number | null; detail: string } | undefined {
  if (message !== null && typeof message === 'object' && 'unparsable' in message)
    return { code: ErrorCodes.ParseError, id: null, detail: String((message as Unparsable).unparsable) };
  if (message === null || typeof message !== 'object' || Array.isArray(message))
    return { code: ErrorCodes.InvalidRequest, id: null, detail: `not a JSON-RPC message object: ${preview(JSON.stringify(message))}` };
  const { jsonrpc, method, id, result, error } = message as Record<string, unknown>;
  const validId = typeof id === 'string' || typeof id === 'number';
  const answerId = validId ? id : null;
  if (jsonrpc !== '2.0') return { code: ErrorCodes.InvalidRequest, id: answerId, detail: 'jsonrpc must be "2.0"' };
  if (typeof method === 'string' && (id === undefined || validId)) return undefined; // a request or a notification
  if (method === undefined && (result !== undefined || error) && (validId || id === null)) return undefined; // a response
  return {
    code: ErrorCodes.InvalidRequest,
    id: answerId,
    detail:
      method !== undefined && typeof method !== 'string' ? 'method must be a string' : 'neither a request, a notification nor a response',
  };
}

function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
