import { createHash } from 'node:crypto';
import { ContentError } from '../errors.js';
import { MessageEntities } from './entities/extract-entities.js';
import { IntentClassifier, TUNING } from './intent-classifier.js';
import type { IntentModelState } from './intent-classifier.js';
import { detectLanguage } from './language-id.js';
import { cantoneseFingerprint } from './cantonese.js';
import { dictionaryFingerprint } from './dictionary.js';
import { lexiconFingerprint } from './lexicon.js';
import { wordVectorsFingerprint } from './word-vectors.js';
import { analyzeSentiment } from './sentiment.js';
import { withLazyEntities } from './lazy-entities.js';
import { withNormalizedTextShared } from './normalize.js';
import type {
  AnalyzeOptions,
  CustomEntityList,
  IntentPrediction,
  NluResult,
  TrainingExample,
  TrainOptions,
} from './types.js';

export interface NluEngineOptions extends TrainOptions {
  /** List entities recognised in every message (content files declare them). */
  customLists?: readonly CustomEntityList[];
}

export interface NluModelFile {
  format: 'carebot-nlu';
  version: 1;
  corpusHash: string;
  createdAt: string;
  trainMs: number;
  examples: number;
  customLists: CustomEntityList[];
  /** The feature extraction the model was trained with (engine version + lexicon). */
  engine: string;
  intent: IntentModelState;
}

/** Bumped whenever features or training change, so stale saved models are not reused. */
const ENGINE_VERSION = 'svm-softmax-tfidf-hashed-10-lexicon-cedict-wordvector-closecall';

/** Identifies the feature extraction (code version and the tables it reads): a model trained under another one would score garbage. */
function engineFingerprint(): string {
  // The tables are constant for the life of the process: hash them once.
  cachedEngineFingerprint ??= createHash('sha256')
    .update(ENGINE_VERSION)
    .update(lexiconFingerprint())
    .update(cantoneseFingerprint())
    .update(dictionaryFingerprint())
    // Only an engine that uses the word vectors reads (and hashes) their 5.8 MB file.
    .update(TUNING.wordVectors > 0 ? wordVectorsFingerprint() : '')
    .digest('hex')
    .slice(0, 16);
  return cachedEngineFingerprint;
}

let cachedEngineFingerprint: string | undefined;

/** Stable hash of a training corpus (and the options that change the model). */
export function corpusHash(examples: readonly TrainingExample[], options: TrainOptions = {}): string {
  const h = createHash('sha256');
  h.update(`${engineFingerprint()}\n${options.c ?? ''}\n${options.oosThreshold ?? ''}\n${options.ambiguityMargin ?? ''}\n${options.seed ?? ''}\n`);
  for (const e of examples) h.update(`${e.intent}\t${e.lang ?? ''}\t${e.text}\n`);
  return h.digest('hex').slice(0, 16);
}

/**
 * carebot's NLU facade: intent (with out-of-scope and ambiguity), language, entities and
 * sentiment for one message. Train once from example utterances, serialize, reload.
 */
export class NluEngine {
  readonly corpusHash: string;
  readonly trainMs: number;
  private readonly classifier: IntentClassifier;
  private readonly customLists: readonly CustomEntityList[];
  private readonly examples: number;

  private constructor(classifier: IntentClassifier, hash: string, customLists: readonly CustomEntityList[], trainMs: number, examples: number) {
    this.classifier = classifier;
    this.corpusHash = hash;
    this.customLists = customLists;
    this.trainMs = trainMs;
    this.examples = examples;
  }

  static train(examples: readonly TrainingExample[], options: NluEngineOptions = {}): NluEngine {
    const started = performance.now();
    const classifier = IntentClassifier.train(examples, options);
    const trainMs = Math.round(performance.now() - started);
    return new NluEngine(classifier, corpusHash(examples, options), options.customLists ?? [], trainMs, examples.length);
  }

  /** Intents the model knows. */
  get intents(): readonly string[] {
    return this.classifier.labels;
  }

  /** The out-of-scope threshold chosen at training time (or fixed by the caller). */
  get oosThreshold(): number {
    return this.classifier.oosThreshold;
  }

  /** Intent only: the fast path used by evaluation. */
  classify(text: string, options: AnalyzeOptions = {}): IntentPrediction {
    const predictOptions: { oosThreshold?: number; ambiguityMargin?: number } = {};
    if (options.oosThreshold !== undefined) predictOptions.oosThreshold = options.oosThreshold;
    if (options.ambiguityMargin !== undefined) predictOptions.ambiguityMargin = options.ambiguityMargin;
    return this.classifier.predict(text, predictOptions);
  }

  /**
   * Intent, language, sentiment and entities. The entities are found when first read (and
   * kept): most turns read none, or only the facts among them (`factEntitiesOf`).
   */
  analyze(text: string, options: AnalyzeOptions = {}): NluResult {
    return withNormalizedTextShared(() => this.analyzeNow(text, options));
  }

  private analyzeNow(text: string, options: AnalyzeOptions): NluResult {
    const prediction = this.classify(text, options);
    const lang = detectLanguage(text);
    const result: Omit<NluResult, 'entities'> = {
      text,
      intent: prediction.intent,
      confidence: prediction.confidence,
      ambiguous: prediction.ambiguous,
      alternatives: prediction.alternatives,
      outOfScope: prediction.outOfScope,
      language: lang.language,
      mixed: lang.mixed,
      sentiment: options.sentiment === false ? { score: 0, label: 'neutral', angry: false } : analyzeSentiment(text),
    };
    if (options.entities === false) return { ...result, entities: [] };
    const customLists = options.customLists ? [...this.customLists, ...options.customLists] : this.customLists;
    return withLazyEntities(result, new MessageEntities(text, { customLists, recognizerBudgetMs: options.recognizerBudgetMs }));
  }

  toJSON(): NluModelFile {
    return {
      format: 'carebot-nlu',
      version: 1,
      corpusHash: this.corpusHash,
      createdAt: new Date().toISOString(),
      trainMs: this.trainMs,
      examples: this.examples,
      customLists: [...this.customLists],
      engine: engineFingerprint(),
      intent: this.classifier.toState(),
    };
  }

  serialize(): string {
    return JSON.stringify(this.toJSON());
  }

  /** Restores a model from `serialize()` output (string or parsed object). */
  static load(model: string | NluModelFile): NluEngine {
    let file: NluModelFile;
    try {
      file = typeof model === 'string' ? (JSON.parse(model) as NluModelFile) : model;
    } catch (error) {
      throw new ContentError('model file is not valid JSON', { cause: error });
    }
    if (file?.format !== 'carebot-nlu' || file.version !== 1) {
      throw new ContentError('not a carebot NLU model (unknown format or version)');
    }
    if (file.engine !== engineFingerprint()) {
      throw new ContentError('the model was trained by another version of the NLU engine or lexicon: train it again');
    }
    return new NluEngine(IntentClassifier.fromState(file.intent), file.corpusHash, file.customLists ?? [], file.trainMs ?? 0, file.examples ?? 0);
  }
}
