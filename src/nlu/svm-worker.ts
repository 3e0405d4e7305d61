/**
 * Worker thread of the SVM trainer (see svm-threads.ts): claims classes from the job's shared
 * counter, trains them and posts each one's weights back on its port as soon as it is done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { claimClasses, markClassDone } from './svm-job.js';
import type { SolverJobMessage, SolverResultMessage } from './svm-job.js';
import { OneVsRestSolver } from './svm-solver.js';

const results = (workerData as { results: MessagePort }).results;

parentPort!.on('message', (job: SolverJobMessage) => {
  const solver = new OneVsRestSolver(job.x, job.labels, job.dimension, job.options);
  for (const k of claimClasses(job.progress, job.classes)) {
    try {
      const { bias, cols, w } = solver.train(k);
      results.postMessage({ jobId: job.jobId, k, bias, cols, w } satisfies SolverResultMessage, [cols.buffer as ArrayBuffer, w.buffer as ArrayBuffer]);
    } catch (error) {
      results.postMessage({ jobId: job.jobId, k, error: String(error) } satisfies SolverResultMessage);
    }
    markClassDone(job.progress);
  }
});
