/** Worker thread that trains one NLU model (see trainOffThread) and posts it back serialized. */
import { parentPort, workerData } from 'node:worker_threads';
import { NluEngine } from './nlu-engine.js';
import type { NluEngineOptions } from './nlu-engine.js';
import type { TrainingExample } from './types.js';

export type TrainWorkerMessage = { model: string } | { error: string };

const { examples, options } = workerData as { examples: TrainingExample[]; options: NluEngineOptions };
let message: TrainWorkerMessage;
try {
  message = { model: NluEngine.train(examples, options).serialize() };
} catch (error) {
  message = { error: String(error) };
}
parentPort!.postMessage(message);
