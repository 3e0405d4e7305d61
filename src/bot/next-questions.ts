/** What users asked next after an intent, learned from past conversations (analytics). */
export interface NextQuestionSource {
  /** Intents users most often asked right after `intent`, most frequent first. */
  suggest(intent: string): readonly string[];
}
