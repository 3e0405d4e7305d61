import type { Middleware, TurnContext } from 'botbuilder';
import type { Locale } from '../config.js';
import { DEFAULT_RECOGNIZER_BUDGET_MS, type AnalyzeOptions, type DetectedLanguage } from '../nlu/types.js';
import { entitiesCutShort } from '../nlu/lazy-entities.js';
import { getReplyLocale, getTurnLogger } from './turn-state.js';
import { setTurnContent, type ContentSource } from './turn-content.js';
import { chosenIntentOf, chosenUnderstanding, getTurnUnderstanding, setTurnUnderstanding } from './turn-understanding.js';
import type { Logger } from '../logger.js';

export interface UnderstandingOptions {
  /** Wall time the entity recognizers may take per message (NLU_RECOGNIZER_BUDGET_MS; the engine's default when unset). */
  readonly recognizerBudgetMs?: number | undefined;
}

/**
 * Pins the turn's content snapshot and runs the NLU on each message, so the handoff triggers,
 * the dialogs and analytics all read the same understanding.
 */
export class UnderstandingMiddleware implements Middleware {
  private readonly analyzeOptions: AnalyzeOptions;

  constructor(
    private readonly content: ContentSource,
    private readonly logger: Logger,
    options: UnderstandingOptions = {},
  ) {
    this.analyzeOptions = { recognizerBudgetMs: options.recognizerBudgetMs };
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const snapshot = this.content.current();
    setTurnContent(context, snapshot);
    const text = context.activity.type === 'message' ? context.activity.text?.trim() : undefined;
    const chosen = chosenIntentOf(context.activity);
    if (chosen && snapshot.knowledge.intent(chosen)) {
      setTurnUnderstanding(context, chosenUnderstanding(text ?? '', chosen, languageOf(getReplyLocale(context))));
    } else if (text) {
      const started = performance.now();
      const understanding = snapshot.nlu.analyze(text, this.analyzeOptions);
      setTurnUnderstanding(context, understanding);
      // Only when it is written: the turn's child logger (with its redaction) costs ~2% of a turn.
      if (this.logger.isLevelEnabled('debug')) {
        getTurnLogger(context, this.logger).debug(
          {
            intent: understanding.intent,
            confidence: Number(understanding.confidence.toFixed(3)),
            outOfScope: understanding.outOfScope,
            ambiguous: understanding.ambiguous,
            language: understanding.language,
            sentiment: understanding.sentiment.label,
            ms: Number((performance.now() - started).toFixed(2)),
          },
          'understood',
        );
      }
    }
    await next();
    const understanding = getTurnUnderstanding(context);
    // Known only now: the entities are found when the turn first reads them.
    if (understanding && entitiesCutShort(understanding)) {
      getTurnLogger(context, this.logger).warn(
        { characters: understanding.text.length, budgetMs: this.analyzeOptions.recognizerBudgetMs ?? DEFAULT_RECOGNIZER_BUDGET_MS },
        'the entity recognizers ran out of time on this message: numbers or dates in it may have been missed (NLU_RECOGNIZER_BUDGET_MS)',
      );
    }
  }
}

const LANGUAGE_OF_LOCALE: Readonly<Record<Locale, DetectedLanguage>> = { en: 'en', 'zh-CN': 'zh-Hans', 'zh-TW': 'zh-Hant', 'zh-HK': 'yue' };

function languageOf(locale: Locale | undefined): DetectedLanguage {
  return LANGUAGE_OF_LOCALE[locale ?? 'en'];
}
