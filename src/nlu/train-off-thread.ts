import { NluEngine } from './nlu-engine.js';
import type { NluEngineOptions } from './nlu-engine.js';
import { siblingModule, startModuleWorker } from './module-worker.js';
import type { TrainWorkerMessage } from './train-worker.js';
import type { TrainingExample } from './types.js';

/**
 * Trains on a worker thread, so a server keeps answering while its content is retrained
 * (the demo packs block for ~1 s when trained in place; a corpus of thousands, for seconds).
 * The model is the same as `NluEngine.train` gives. If the worker cannot train (a content
 * problem such as a single intent, or the worker failing), training runs here instead, so the
 * caller gets the same model or the same error as from `NluEngine.train`, and `workerError`
 * says why the worker did not train.
 */
export async function trainOffThread(
  examples: readonly TrainingExample[],
  options: NluEngineOptions = {},
  entry: URL = siblingModule('train-worker', import.meta.url),
): Promise<{ engine: NluEngine; workerError?: string }> {
  // Progress callbacks cannot cross threads.
  const { onProgress: _progress, ...cloneable } = options;
  let model: string;
  try {
    model = await new Promise<string>((resolve, reject) => {
      const worker = startModuleWorker(entry, { workerData: { examples, options: cloneable } });
      worker.once('message', (message: TrainWorkerMessage) => {
        void worker.terminate();
        if ('model' in message) resolve(message.model);
        else reject(new Error(message.error));
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the training worker exited with code ${code}`)));
    });
  } catch (error) {
    return { engine: NluEngine.train(examples, options), workerError: String(error) };
  }
  return { engine: NluEngine.load(model) };
}
