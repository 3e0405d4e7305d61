/** Public types of carebot's NLU engine. */

export type DetectedLanguage = 'en' | 'zh-Hans' | 'zh-Hant' | 'yue';

export interface TrainingExample {
  text: string;
  intent: string;
  lang?: string;
}

export type EntityType =
  | 'number'
  | 'ordinal'
  | 'percentage'
  | 'amount'
  | 'datetime'
  | 'age'
  | 'place'
  | 'relation'
  | 'custom';

export interface Entity {
  type: EntityType;
  /** Original text span as the user wrote it. */
  text: string;
  start: number;
  /** Exclusive end offset into the original text. */
  end: number;
  /** Canonical value: a number as string, an ISO-like datetime, a place id, a list key… */
  value: string;
  /** For `custom` entities: the list name; for places: `city` | `district`; otherwise absent. */
  subtype?: string;
  /** Extra resolution details (unit, currency, timex…). */
  resolution?: Record<string, string>;
}

/** A caller-declared list entity: `values` maps a canonical key to its synonyms in any language. */
export interface CustomEntityList {
  name: string;
  values: Record<string, readonly string[]>;
}

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface Sentiment {
  /** -1 (very negative) … +1 (very positive). */
  score: number;
  label: SentimentLabel;
  /** True when the message shows anger or frustration (swearing, complaints, threats to complain). */
  angry: boolean;
}

export interface IntentAlternative {
  intent: string;
  confidence: number;
}

export interface NluResult {
  text: string;
  /** Best intent, or null when the message is out of scope. */
  intent: string | null;
  confidence: number;
  ambiguous: boolean;
  alternatives: IntentAlternative[];
  outOfScope: boolean;
  language: DetectedLanguage;
  mixed: boolean;
  entities: Entity[];
  sentiment: Sentiment;
}

export interface LanguageDetection {
  language: DetectedLanguage;
  mixed: boolean;
  /** 0…1, how sure the detector is. */
  confidence: number;
}

export interface TrainOptions {
  /** SVM regularisation constant (default chosen for short utterances). */
  c?: number;
  /** Number of cross-validation folds used to calibrate and pick the OOS threshold (default 5, min 2). */
  calibrationFolds?: number;
  /** Fix the out-of-scope threshold instead of choosing it by cross-validation. */
  oosThreshold?: number;
  /** Top-2 confidence margin under which a prediction is flagged ambiguous (default 0.1). */
  ambiguityMargin?: number;
  /** Seed for the deterministic shuffles used in training. */
  seed?: number;
  /** Called with (done, total) while training, for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

export interface AnalyzeOptions {
  /** Override the model's out-of-scope threshold for this call. */
  oosThreshold?: number;
  /** Override the ambiguity margin for this call. */
  ambiguityMargin?: number;
  /** Extra list entities to look for. */
  customLists?: readonly CustomEntityList[];
  /** Skip entity extraction (faster). */
  entities?: boolean;
  /** Skip sentiment (faster). */
  sentiment?: boolean;
  /** Wall time all of the message's number/date/amount recognizer calls may take together (default DEFAULT_RECOGNIZER_BUDGET_MS). */
  recognizerBudgetMs?: number;
}

/**
 * The default for `recognizerBudgetMs`: several times what the dates and numbers of a long
 * question take on an idle core (7-17 ms for "I bought it 10 days ago, can my 5 year old
 * daughter claim for fever on the health policy"), and short enough that a crafted message
 * cannot hold the event loop.
 */
export const DEFAULT_RECOGNIZER_BUDGET_MS = 100;

export interface IntentPrediction {
  intent: string | null;
  /** The best in-scope intent even when rejected as out of scope. */
  topIntent: string;
  confidence: number;
  ambiguous: boolean;
  outOfScope: boolean;
  alternatives: IntentAlternative[];
}
