import { evaluate, type EvalReport } from './evaluate.js';
import { siblingModule, startModuleWorker } from './module-worker.js';
import { NluEngine, type NluEngineOptions } from './nlu-engine.js';
import { makeRng } from './svm-solver.js';
import type { TrainingExample } from './types.js';

export interface CrossValidationSummary {
  readonly folds: number;
  readonly examples: number;
  /** Share of held-out examples given their own intent (a rejection as out of scope counts as wrong). */
  readonly accuracy: number;
  readonly top1Accuracy: number;
  readonly macroF1: number;
  readonly rejectedInScope: number;
  readonly trainMs: number;
  readonly perFold: readonly { accuracy: number; top1Accuracy: number; macroF1: number }[];
}

/**
 * Stratified fold of each row: each label's rows are shuffled (seeded) and dealt round-robin,
 * so every fold holds a share of every intent.
 */
export function assignFolds(labels: readonly string[], folds: number, seed = 13): Int32Array {
  const rng = makeRng(seed);
  const fold = new Int32Array(labels.length);
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => byLabel.set(label, [...(byLabel.get(label) ?? []), i]));
  for (const idx of byLabel.values()) {
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    idx.forEach((rowIndex, k) => (fold[rowIndex] = k % folds));
  }
  return fold;
}

/** k-fold cross-validation of the NLU on labelled examples: train on k−1 folds, score the held-out one. */
export function crossValidate(
  examples: readonly TrainingExample[],
  folds: number,
  options: Omit<NluEngineOptions, 'onProgress'> = {},
  onFold?: (done: number, total: number) => void,
): CrossValidationSummary {
  const fold = assignFolds(examples.map((e) => e.intent), folds);
  const reports: EvalReport[] = [];
  for (let f = 0; f < folds; f++) {
    const train = examples.filter((_, i) => fold[i] !== f);
    const test = examples.filter((_, i) => fold[i] === f).map((e) => ({ text: e.text, label: e.intent, ...(e.lang ? { lang: e.lang } : {}) }));
    reports.push(evaluate(NluEngine.train(train, options), test));
    onFold?.(f + 1, folds);
  }
  const mean = (pick: (r: EvalReport) => number): number => Math.round((reports.reduce((s, r) => s + pick(r), 0) / reports.length) * 1e4) / 1e4;
  return {
    folds,
    examples: examples.length,
    accuracy: mean((r) => r.accuracy),
    top1Accuracy: mean((r) => r.top1Accuracy),
    macroF1: mean((r) => r.macroF1),
    rejectedInScope: mean((r) => r.top1Accuracy - r.inScopeAccuracy),
    trainMs: mean((r) => r.trainMs),
    perFold: reports.map((r) => ({ accuracy: r.accuracy, top1Accuracy: r.top1Accuracy, macroF1: r.macroF1 })),
  };
}

export type CrossValidateWorkerMessage = { summary: CrossValidationSummary } | { error: string };

/** `crossValidate` on a worker thread: a server keeps answering while it trains k models. */
export function crossValidateOffThread(examples: readonly TrainingExample[], folds: number, options: Omit<NluEngineOptions, 'onProgress'> = {}): Promise<CrossValidationSummary> {
  return new Promise((resolve, reject) => {
    const worker = startModuleWorker(siblingModule('cross-validate-worker', import.meta.url), { workerData: { examples, folds, options } });
    worker.once('message', (message: CrossValidateWorkerMessage) => {
      void worker.terminate();
      if ('summary' in message) resolve(message.summary);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the cross-validation worker exited with code ${code}`)));
  });
}
