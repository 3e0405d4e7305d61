import { z } from 'zod';
import { blankAsUnset, defineConfigSection } from './section.js';

export interface NluSettings {
  /** Overrides the out-of-scope threshold chosen by cross-validation at training time. */
  readonly outOfScopeThreshold: number | undefined;
  /** Top-2 confidence gap under which a result is reported as ambiguous. */
  readonly ambiguityMargin: number | undefined;
  /** Where trained models are cached, keyed by a hash of the corpus. */
  readonly modelCacheDir: string;
}

const probability = z.coerce.number({ message: 'expected a number between 0 and 1' }).min(0, 'expected 0 to 1').max(1, 'expected 0 to 1');

export const nluConfigSection = defineConfigSection(
  {
    NLU_OOS_THRESHOLD: blankAsUnset(probability.optional()),
    NLU_AMBIGUITY_MARGIN: blankAsUnset(probability.optional()),
    NLU_MODEL_CACHE_DIR: z.string().min(1).default('.data/models'),
  },
  (e): NluSettings => ({
    outOfScopeThreshold: e.NLU_OOS_THRESHOLD,
    ambiguityMargin: e.NLU_AMBIGUITY_MARGIN,
    modelCacheDir: e.NLU_MODEL_CACHE_DIR,
  }),
);
