/** Worker thread that cross-validates the NLU (see crossValidateOffThread) and posts the summary back. */
import { parentPort, workerData } from 'node:worker_threads';
import { crossValidate, type CrossValidateWorkerMessage } from './cross-validate.js';
import type { NluEngineOptions } from './nlu-engine.js';
import type { TrainingExample } from './types.js';

const { examples, folds, options } = workerData as { examples: TrainingExample[]; folds: number; options: NluEngineOptions };
let message: CrossValidateWorkerMessage;
try {
  message = { summary: crossValidate(examples, folds, options) };
} catch (error) {
  message = { error: String(error) };
}
parentPort!.postMessage(message);
