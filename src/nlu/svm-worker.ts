/**
 * Worker thread of the SVM trainer (see svm-threads.ts): claims classes from the job's shared
 * counter, trains them and posts each one's weights back on its port as soon as it is done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { OneVsRestSolver } from './svm-solver.js';
import type { SolverOptions } from './svm-solver.js';
import type { SparseMatrix } from './vectorizer.js';

export interface SolverJobMessage {
  jobId: number;
  x: SparseMatrix;
  labels: Int32Array;
  classes: number;
  dimension: number;
  options: SolverOptions;
  /** [0] next unclaimed class, [1] classes finished (by any thread). */
  progress: Int32Array;
}

export type SolverResultMessage =
  | { jobId: number; k: number; bias: number; cols: Int32Array; w: Float32Array }
  | { jobId: number; k: number; error: string };

const results = (workerData as { results: MessagePort }).results;

parentPort!.on('message', (job: SolverJobMessage) => {
  const solver = new OneVsRestSolver(job.x, job.labels, job.dimension, job.options);
  for (let k = Atomics.add(job.progress, 0, 1); k < job.classes; k = Atomics.add(job.progress, 0, 1)) {
    try {
      const { bias, cols, w } = solver.train(k);
      results.postMessage({ jobId: job.jobId, k, bias, cols, w } satisfies SolverResultMessage, [cols.buffer as ArrayBuffer, w.buffer as ArrayBuffer]);
    } catch (error) {
      results.postMessage({ jobId: job.jobId, k, error: String(error) } satisfies SolverResultMessage);
    }
    Atomics.add(job.progress, 1, 1);
    Atomics.notify(job.progress, 1);
  }
});
