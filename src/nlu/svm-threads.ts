/**
 * Trains the one-vs-rest classes of a linear SVM on the calling thread and on worker
 * threads at once. Training stays synchronous for its callers: the calling thread takes
 * classes from a shared counter like the workers do, then waits (Atomics.wait) for the
 * classes the workers claimed and reads their weights with receiveMessageOnPort. A worker
 * that fails or stops answering costs time, never a class: whatever it left undone is
 * trained on the calling thread.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { OneVsRestSolver } from './svm-solver.js';
import type { ClassWeights, SolverOptions } from './svm-solver.js';
import type { SolverJobMessage, SolverResultMessage } from './svm-worker.js';
import type { SparseMatrix } from './vectorizer.js';

// Below this many (example × class) pairs, starting a worker and copying the data to it
// costs more than it saves (the demo packs are ~50,000; BANKING77 is ~770,000).
const MIN_PARALLEL_WORK = 200_000;
const MAX_WORKERS = 3;
// A class takes well under a second up to ~100k examples: a worker that finishes nothing for
// this long is taken for dead and its classes are trained here.
const STALL_MS = 60_000;

interface PooledWorker {
  worker: Worker;
  results: MessagePort;
  healthy: boolean;
}

const pool: PooledWorker[] = [];
let lastJobId = 0;

/** Worker threads worth using for a problem of this size on this machine. */
export function workersFor(rows: number, classes: number): number {
  if (rows * classes < MIN_PARALLEL_WORK) return 0;
  return Math.max(0, Math.min(MAX_WORKERS, availableParallelism() - 1));
}

function startWorker(): PooledWorker {
  const { port1, port2 } = new MessageChannel();
  // Run from TypeScript sources (tests, tsx), the worker needs tsx's loader, which Node 20
  // does not pass on to worker threads; the compiled build loads the .js file directly.
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(`./svm-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  const options = { workerData: { results: port2 }, transferList: [port2] };
  const worker = fromSources
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`, { ...options, eval: true })
    : new Worker(entry, options);
  // Idle workers must not keep the process alive.
  worker.unref();
  port1.unref();
  const pooled: PooledWorker = { worker, results: port1, healthy: true };
  const retire = (): void => {
    pooled.healthy = false;
    const at = pool.indexOf(pooled);
    if (at >= 0) pool.splice(at, 1);
  };
  worker.on('error', retire);
  worker.on('exit', retire);
  return pooled;
}

function workers(count: number): PooledWorker[] {
  while (pool.length < count) pool.push(startWorker());
  return pool.slice(0, count);
}

export interface ParallelTraining {
  /** Worker threads besides the calling one. */
  workers: number;
  onClassDone?: (done: number, total: number) => void;
  /** False leaves every class to the workers (tests use it to know the workers did the work). */
  trainOnCaller?: boolean;
}

/** Trains classes 0..classes-1 on the calling thread and worker threads together. */
export function trainClassesInParallel(
  x: SparseMatrix,
  labels: Int32Array,
  classes: number,
  dimension: number,
  options: SolverOptions,
  { workers: workerCount, onClassDone, trainOnCaller = true }: ParallelTraining,
): { weights: ClassWeights[]; trainedByWorkers: number } {
  const jobId = ++lastJobId;
  const progress = new Int32Array(new SharedArrayBuffer(8));
  const helpers = workers(workerCount);
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

  while (trainOnCaller) {
    const k = Atomics.add(progress, 0, 1);
    if (k >= classes) break;
    trainHere(k);
    collect();
  }
  let lastProgress = Date.now();
  let seen = received;
  while (received < classes) {
    collect();
    if (received === classes) break;
    if (received !== seen) {
      seen = received;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > STALL_MS) {
      for (const h of helpers) h.healthy = false;
      for (let k = 0; k < classes; k++) if (results[k] === undefined) trainHere(k);
      break;
    }
    Atomics.wait(progress, 1, Atomics.load(progress, 1), 50);
  }
  for (const h of helpers) {
    if (!h.healthy) {
      const at = pool.indexOf(h);
      if (at >= 0) pool.splice(at, 1);
      void h.worker.terminate();
    }
  }
  return { weights: results as ClassWeights[], trainedByWorkers };
}
