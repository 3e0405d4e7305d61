/**
 * Trains the one-vs-rest classes of a linear SVM on the calling thread and on worker
 * threads at once. Training stays synchronous for its callers: the calling thread takes
 * classes from a shared counter like the workers do, then waits (Atomics.wait) for the
 * classes the workers claimed and reads their weights with receiveMessageOnPort. A worker
 * that fails or stops answering costs time, never a class: whatever it left undone is
 * trained on the calling thread.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import { siblingModule, startModuleWorker } from './module-worker.js';
import { claimClasses } from './svm-job.js';
import type { SolverJobMessage, SolverResultMessage } from './svm-job.js';
import { OneVsRestSolver } from './svm-solver.js';
import type { ClassWeights, SolverOptions } from './svm-solver.js';
import type { SparseMatrix } from './vectorizer.js';

// Below this many (example × class) pairs, starting a worker and copying the data to it
// costs more than it saves (the demo packs are ~50,000; BANKING77 is ~770,000).
const MIN_PARALLEL_WORK = 200_000;
const MAX_WORKERS = 3;
// A class takes well under a second up to ~100k examples: a worker that finishes nothing for
// this long is taken for dead and its classes are trained here.
const DEFAULT_STALL_MS = 60_000;

/** Worker threads worth using for a problem of this size on this machine. */
export function workersFor(rows: number, classes: number): number {
  if (rows * classes < MIN_PARALLEL_WORK) return 0;
  return Math.max(0, Math.min(MAX_WORKERS, availableParallelism() - 1));
}

export interface ParallelTraining {
  /** Worker threads besides the calling one. */
  workers: number;
  onClassDone?: (done: number, total: number) => void;
  /** False leaves every class to the workers (tests use it to know the workers did the work). */
  trainOnCaller?: boolean;
}

interface PooledWorker {
  worker: Worker;
  results: MessagePort;
  healthy: boolean;
}

/** Long-lived worker threads for SVM training; idle ones do not keep the process alive. */
export class SvmWorkerPool {
  private readonly entry: URL;
  private readonly stallMs: number;
  private readonly pool: PooledWorker[] = [];
  private lastJobId = 0;

  /** `entry` is the worker script (default: svm-worker next to this module). */
  constructor(options: { entry?: URL; stallMs?: number } = {}) {
    this.entry = options.entry ?? siblingModule('svm-worker', import.meta.url);
    this.stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  }

  /** Trains classes 0..classes-1 on the calling thread and `workers` worker threads together. */
  train(
    x: SparseMatrix,
    labels: Int32Array,
    classes: number,
    dimension: number,
    options: SolverOptions,
    { workers: workerCount, onClassDone, trainOnCaller = true }: ParallelTraining,
  ): { weights: ClassWeights[]; trainedByWorkers: number } {
    const jobId = ++this.lastJobId;
    const progress = new Int32Array(new SharedArrayBuffer(8));
    const helpers = this.acquire(workerCount);
    const job: SolverJobMessage = { jobId, x, labels, classes, dimension, options, progress };
    for (const h of helpers) h.worker.postMessage(job);

    const results: (ClassWeights | undefined)[] = new Array(classes);
    let received = 0;
    let trainedByWorkers = 0;
    const solver = new OneVsRestSolver(x, labels, dimension, options);
    const trainHere = (k: number): void => {
      results[k] = solver.train(k);
      received++;
      onClassDone?.(received, classes);
    };
    const collect = (): void => {
      for (const h of helpers) {
        for (let m = receiveMessageOnPort(h.results); m; m = receiveMessageOnPort(h.results)) {
          const r = m.message as SolverResultMessage;
          if (r.jobId !== jobId || results[r.k] !== undefined) continue;
          if ('error' in r) {
            h.healthy = false;
            trainHere(r.k);
          } else {
            results[r.k] = { bias: r.bias, cols: r.cols, w: r.w };
            received++;
            trainedByWorkers++;
            onClassDone?.(received, classes);
          }
        }
      }
    };

    if (trainOnCaller) {
      for (const k of claimClasses(progress, classes)) {
        trainHere(k);
        collect();
      }
    }
    let lastProgress = Date.now();
    let seen = received;
    while (received < classes) {
      collect();
      if (received === classes) break;
      if (received !== seen) {
        seen = received;
        lastProgress = Date.now();
      } else if (Date.now() - lastProgress > this.stallMs) {
        for (const h of helpers) h.healthy = false;
        for (let k = 0; k < classes; k++) if (results[k] === undefined) trainHere(k);
        break;
      }
      Atomics.wait(progress, 1, Atomics.load(progress, 1), 50);
    }
    for (const h of helpers) if (!h.healthy) this.retire(h);
    return { weights: results as ClassWeights[], trainedByWorkers };
  }

  /** Stops every worker (tests; a server simply exits). */
  async close(): Promise<void> {
    const all = this.pool.splice(0);
    await Promise.all(all.map((h) => h.worker.terminate()));
  }

  private acquire(count: number): PooledWorker[] {
    while (this.pool.length < count) this.pool.push(this.start());
    return this.pool.slice(0, count);
  }

  private retire(h: PooledWorker): void {
    h.healthy = false;
    const at = this.pool.indexOf(h);
    if (at >= 0) this.pool.splice(at, 1);
    void h.worker.terminate();
  }

  private start(): PooledWorker {
    const { port1, port2 } = new MessageChannel();
    const worker = startModuleWorker(this.entry, { workerData: { results: port2 }, transferList: [port2] });
    worker.unref();
    port1.unref();
    const pooled: PooledWorker = { worker, results: port1, healthy: true };
    worker.on('error', () => this.retire(pooled));
    worker.on('exit', () => this.retire(pooled));
    return pooled;
  }
}

const sharedPool = new SvmWorkerPool();

/** Trains classes 0..classes-1 on the calling thread and the process's shared worker pool. */
export function trainClassesInParallel(
  x: SparseMatrix,
  labels: Int32Array,
  classes: number,
  dimension: number,
  options: SolverOptions,
  training: ParallelTraining,
): { weights: ClassWeights[]; trainedByWorkers: number } {
  return sharedPool.train(x, labels, classes, dimension, options, training);
}
