/**
 * Starts the simulation worker and hands it jobs. A Worker on a webview resource URI is
 * cross-origin in VS Code, so the script is fetched and started from a blob: URL
 * (CSP: connect-src for the fetch, worker-src blob: for the worker).
 */
import type { PageToWorker, RunChannel, SimulateJob, WorkerToPage } from './workerProtocol';

export type JobRequest = Omit<SimulateJob, 'type' | 'runId' | 'channel'>;

export class SimulationRunner {
  private worker: Worker | undefined;
  private readonly queued: PageToWorker[] = [];
  private nextRunId = 1;
  private readonly current = new Map<RunChannel, number>();
  private startFailure: string | undefined;
  /** The worker script, kept so a crashed worker can be replaced without fetching it again. */
  private workerUrl: string | undefined;

  constructor(
    workerUri: string,
    private readonly onMessage: (message: WorkerToPage) => void,
    private readonly onBroken: (reason: string) => void,
  ) {
    void this.start(workerUri);
  }

  private async start(workerUri: string): Promise<void> {
    try {
      const response = await fetch(workerUri);
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const source = await response.text();
      this.workerUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      this.spawn();
    } catch (error) {
      this.startFailure = `the simulator could not start: ${error instanceof Error ? error.message : String(error)}`;
      this.onBroken(this.startFailure);
    }
  }

  private spawn(): void {
    const worker = new Worker(this.workerUrl!, { name: 'exrunbook-simulator' });
    worker.addEventListener('message', (event: MessageEvent<WorkerToPage>) => {
      // Results of jobs that were replaced are dropped here as well as in the worker.
      if (this.current.get(event.data.channel) === event.data.runId) this.onMessage(event.data);
    });
    // A crash (an exception or running out of memory in the worker) ends the runs in flight with a
    // message; the page stays usable and the next run gets a fresh worker.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (this.worker === worker) this.worker = undefined;
      worker.terminate();
      this.current.clear();
      this.onBroken(`the simulator stopped: ${event.message || 'unknown error'}`);
    });
    this.worker = worker;
    for (const message of this.queued.splice(0)) worker.postMessage(message);
  }

  /** Starts a run on a channel, replacing whatever ran there. Returns its run id. */
  run(channel: RunChannel, request: JobRequest): number {
    const runId = this.nextRunId++;
    this.current.set(channel, runId);
    this.post({ type: 'simulate', channel, runId, ...request });
    if (this.startFailure) this.onBroken(this.startFailure);
    return runId;
  }

  cancel(channel: RunChannel): void {
    this.current.delete(channel);
    this.post({ type: 'cancel', channel });
  }

  isCurrent(channel: RunChannel, runId: number): boolean {
    return this.current.get(channel) === runId;
  }

  private post(message: PageToWorker): void {
    if (!this.worker && this.workerUrl && message.type === 'simulate') this.spawn();
    if (this.worker) this.worker.postMessage(message);
    else {
      // Before the worker is up only the newest job per channel matters.
      const index = this.queued.findIndex((queued) => queued.channel === message.channel);
      if (index >= 0) this.queued.splice(index, 1);
      this.queued.push(message);
    }
  }
}
