import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CAPABILITIES } from '../../../src/server/server';
import { repoRoot } from '../../support';

/** `exrunbook lsp --stdio` as an editor starts it, spoken to in raw LSP framing (so it can be sent garbage too). */
class StdioServer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly messages: Record<string, unknown>[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];

  constructor() {
    this.child = spawn(process.execPath, [resolve(repoRoot, 'bin/exrunbook.js'), 'lsp', '--stdio'], { stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => this.read(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((done) => this.child.on('exit', (code) => done(code)));
  }

  sendRaw(body: string): void {
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  send(message: object): void {
    this.sendRaw(JSON.stringify({ jsonrpc: '2.0', ...message }));
  }

  /** The first message (already received or to come) that `accept` likes. */
  async next(accept: (message: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = this.messages.find(accept);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${what} from the server; stderr: ${this.stderr}`);
      await new Promise<void>((done) => {
        this.waiters.push(done);
        setTimeout(done, 500);
      });
    }
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      this.messages.push(JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()));
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      for (const waiter of this.waiters.splice(0)) waiter();
    }
  }

  async initialize(): Promise<Record<string, unknown>> {
    this.send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    return this.next((message) => message.id === 1, 'answer to initialize');
  }
}

describe('the language server processes: exrunbook lsp --stdio and the one VS Code starts', function () {
  const servers: StdioServer[] = [];
  const start = () => {
    const server = new StdioServer();
    servers.push(server);
    return server;
  };

  before(function () {
    if (!existsSync(resolve(repoRoot, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  });

  after(() => {
    for (const server of servers) server.child.kill();
  });

  it('answers initialize with the capabilities it implements, then exits 0 on shutdown and exit', async () => {
    const server = start();
    const answer = await server.initialize();
    const result = answer.result as { capabilities: unknown; serverInfo: { name: string } };
    assert.deepEqual(result.capabilities, CAPABILITIES);
    assert.equal(result.serverInfo.name, 'exrunbook-language-server');
    server.send({ method: 'initialized', params: {} });
    server.send({ id: 2, method: 'shutdown' });
    assert.deepEqual(await server.next((message) => message.id === 2, 'answer to shutdown'), { jsonrpc: '2.0', id: 2, result: null });
    server.send({ method: 'exit' });
    assert.equal(await server.exited, 0);
    assert.equal(server.stderr, '');
  });

  it('answers a message that is not JSON with Parse error and one that is no request with Invalid Request, and goes on', async () => {
    const server = start();
    await server.initialize();
    server.sendRaw('{"jsonrpc": "2.0", "id": 5, "method": "shutdown"');
    const parseError = await server.next((message) => (message.error as { code?: number })?.code === -32700, 'a Parse error');
    assert.equal(parseError.id, null);
    assert.match((parseError.error as { message: string }).message, /^Parse error: /);
    server.send({ id: 6, params: {} });
    const invalid = await server.next((message) => message.id === 6, 'an answer to the message without a method');
    assert.equal((invalid.error as { code: number }).code, -32600);
    server.sendRaw('[1, 2, 3]');
    await server.next(
      (message) => message.id === null && (message.error as { code?: number })?.code === -32600,
      'Invalid Request for an array',
    );
    // Still serving: a real request after the garbage is answered.
    server.send({ id: 7, method: 'shutdown' });
    assert.deepEqual(await server.next((message) => message.id === 7, 'answer to shutdown'), { jsonrpc: '2.0', id: 7, result: null });
    assert.match(server.stderr, /answered a malformed message with Parse error/);
    assert.doesNotMatch(server.stderr, /at .*\.js:\d+/, 'no stack trace');
  });

  it('exits when its stdin closes (the editor went away), with no error output', async () => {
    const server = start();
    await server.initialize();
    server.child.stdin.end();
    // LSP's rule for an exit without shutdown: exit code 1.
    assert.equal(await server.exited, 1);
    assert.equal(server.stderr, '');
  });

  it('serves VS Code over IPC from dist/server-process.js (the web bundle, handed the channel as its port), and exits 0 on shutdown and exit', async () => {
    const child = fork(resolve(repoRoot, 'dist/server-process.js'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const answers = new Map<number, Record<string, unknown>>();
    const answered = (id: number) =>
      new Promise<Record<string, unknown>>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no answer ${id} over IPC; stderr: ${stderr}`)), 20_000);
        const check = () => {
          if (!answers.has(id)) return;
          clearTimeout(timer);
          done(answers.get(id)!);
        };
        child.on('message', check);
        check();
      });
    child.on('message', (message: Record<string, unknown>) => {
      if (typeof message.id === 'number') answers.set(message.id, message);
    });
    try {
      child.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      const initialized = (await answered(1)).result as { capabilities: unknown };
      assert.deepEqual(initialized.capabilities, CAPABILITIES);
      child.send({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
      assert.deepEqual(await answered(2), { jsonrpc: '2.0', id: 2, result: null });
      child.send({ jsonrpc: '2.0', method: 'exit' });
      assert.equal(await exited, 0);
      assert.equal(stderr, '');
    } finally {
      child.kill();
    }
  });
});
