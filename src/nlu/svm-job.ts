/**
 * What the SVM trainer's threads share for one training (see svm-threads.ts): the job a
 * worker receives, the results it posts back, and the shared counter they take classes from.
 */
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

/** The classes this thread claims, one at a time, until none is left. */
export function* claimClasses(progress: Int32Array, classes: number): Generator<number> {
  for (let k = Atomics.add(progress, 0, 1); k < classes; k = Atomics.add(progress, 0, 1)) yield k;
}

/** Counts a class as finished and wakes the thread waiting for the others. */
export function markClassDone(progress: Int32Array): void {
  Atomics.add(progress, 1, 1);
  Atomics.notify(progress, 1);
}
