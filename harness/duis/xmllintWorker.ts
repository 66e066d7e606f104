/**
 * The main-thread side of the long-lived xmllint thread (xmllintThread.cjs): starts it on first use, holds the
 * process open only while a run is in flight (unref'd when idle), and when the thread dies fails the runs it held
 * and starts a fresh thread on the next call. One run at a time is given to the thread; callers batch.
 */
import { Worker } from 'node:worker_threads';

export interface XmllintFile {
  readonly fileName: string;
  readonly contents: string;
}

export interface XmllintRun {
  /** xmllint's exit status: 0 all valid, 3/4 some invalid, anything else libxml2 could not finish (-1: WASM abort). */
  readonly exitCode: number;
  readonly stderr: string;
}

export interface XmllintWorkerOptions {
  /** The schema files, the main XSD first (passed to xmllint's --schema), then the ones it imports. */
  readonly schemas: readonly XmllintFile[];
  /** The WASM heap bound of one run. */
  readonly maxMemoryMiB: number;
  /** The thread script; tests substitute one that dies. */
  readonly threadFile?: URL;
}

const THREAD_FILE = new URL('./xmllintThread.cjs', import.meta.url);

interface Pending {
  readonly resolve: (run: XmllintRun) => void;
  readonly reject: (error: Error) => void;
}

export class XmllintWorker {
  private thread: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly options: XmllintWorkerOptions) {}

  run(documents: readonly XmllintFile[]): Promise<XmllintRun> {
    const thread = this.thread ?? this.start();
    const id = this.nextId++;
    return new Promise<XmllintRun>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      thread.ref();
      thread.postMessage({ xmllintThread: true, id, documents });
    });
  }

  /** Stops the thread; runs in flight fail. The next `run` starts a new thread. */
  async close(): Promise<void> {
    const thread = this.thread;
    if (thread === undefined) return;
    this.lose(thread, new Error('the schema validator was closed while validating'));
    await thread.terminate();
  }

  private start(): Worker {
    const thread = new Worker(this.options.threadFile ?? THREAD_FILE, {
      workerData: { schemas: this.options.schemas, maxMemoryMiB: this.options.maxMemoryMiB },
      // plain CommonJS: none of the parent's flags (the tsx loader, --input-type, --cpu-prof) apply, and loading tsx
      // in the thread would cost its start
      execArgv: [],
    });
    thread.unref();
    thread.on('message', (message: { xmllintThread?: boolean; id: number; exitCode: number; stderr: string }) => {
      if (message?.xmllintThread !== true) return;
      const waiting = this.pending.get(message.id);
      if (waiting === undefined) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) thread.unref();
      waiting.resolve({ exitCode: message.exitCode, stderr: message.stderr });
    });
    thread.on('error', (error) => this.lose(thread, new Error(`the schema validator thread failed: ${error.message}`)));
    thread.on('exit', (code) => this.lose(thread, new Error(`the schema validator thread exited (code ${code})`)));
    this.thread = thread;
    return thread;
  }

  /** The thread is gone: fail what it held, and let the next run start another. */
  private lose(thread: Worker, error: Error): void {
    if (this.thread !== thread) return;
    this.thread = undefined;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const run of waiting) run.reject(error);
  }
}
