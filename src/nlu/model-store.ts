import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { corpusHash, NluEngine } from './nlu-engine.js';
import type { NluEngineOptions } from './nlu-engine.js';
import { trainOffThread } from './train-off-thread.js';
import type { TrainingExample } from './types.js';

export interface LoadOrTrainResult {
  engine: NluEngine;
  /** True when a saved model for the same corpus was reused. */
  fromCache: boolean;
  /** Why the model was trained in place instead of on a worker thread, when it was. */
  workerError?: string;
  path: string;
}

/**
 * Reuses the model saved for this exact corpus (file name = corpus hash) or trains one on a
 * worker thread and saves it, so a restart does not retrain and a retraining server keeps
 * serving. Writes atomically (temp file + rename).
 */
export async function loadOrTrain(
  examples: readonly TrainingExample[],
  cacheDir: string,
  options: NluEngineOptions = {},
): Promise<LoadOrTrainResult> {
  const hash = corpusHash(examples, options);
  const path = join(cacheDir, `nlu-${hash}.json`);
  try {
    const engine = NluEngine.load(await readFile(path, 'utf8'));
    if (engine.corpusHash === hash) return { engine, fromCache: true, path };
  } catch {
    // missing or unreadable cache: train below
  }
  const { engine, workerError } = await trainOffThread(examples, options);
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, engine.serialize());
  await rename(tmp, path);
  return { engine, fromCache: false, path, ...(workerError === undefined ? {} : { workerError }) };
}
