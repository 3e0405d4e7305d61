import { z } from 'zod';
import { DEFAULT_RECOGNIZER_BUDGET_MS } from '../nlu/types.js';
import { blankAsUnset, defineConfigSection } from './section.js';

export interface NluSettings {
  /** Overrides the out-of-scope threshold chosen by cross-validation at training time. */
  readonly outOfScopeThreshold: number | undefined;
  /** Top-2 confidence gap under which a result is reported as ambiguous. */
  readonly ambiguityMargin: number | undefined;
  /** Where trained models are cached, keyed by a hash of the corpus. */
  readonly modelCacheDir: string;
  /** Wall time all of a message's number/date/amount recognizer calls may take together. */
  readonly recognizerBudgetMs: number;
}

const probability = z.coerce.number({ message: 'expected a number between 0 and 1' }).min(0, 'expected 0 to 1').max(1, 'expected 0 to 1');

export const nluConfigSection = defineConfigSection(
  {
    NLU_OOS_THRESHOLD: blankAsUnset(probability.optional()),
    NLU_AMBIGUITY_MARGIN: blankAsUnset(probability.optional()),
    NLU_MODEL_CACHE_DIR: z.string().min(1).default('.data/models'),
    // Under 10 ms even a short date misses its budget on a busy machine; over 10 s a crafted
    // message holds every other conversation's turn that long.
    NLU_RECOGNIZER_BUDGET_MS: z.coerce
      .number({ message: 'expected a number of milliseconds' })
      .int('expected whole milliseconds')
      .min(10, 'expected at least 10 ms')
      .max(10_000, 'expected at most 10000 ms')
      .default(DEFAULT_RECOGNIZER_BUDGET_MS),
  },
  (e): NluSettings => ({
    outOfScopeThreshold: e.NLU_OOS_THRESHOLD,
    ambiguityMargin: e.NLU_AMBIGUITY_MARGIN,
    modelCacheDir: e.NLU_MODEL_CACHE_DIR,
    recognizerBudgetMs: e.NLU_RECOGNIZER_BUDGET_MS,
  }),
);
