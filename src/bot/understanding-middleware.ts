import type { Middleware, TurnContext } from 'botbuilder';
import type { Locale } from '../config.js';
import type { DetectedLanguage } from '../nlu/types.js';
import { getReplyLocale, getTurnLogger } from './turn-state.js';
import { setTurnContent, type ContentSource } from './turn-content.js';
import { chosenIntentOf, chosenUnderstanding, setTurnUnderstanding } from './turn-understanding.js';
import type { Logger } from '../logger.js';

/**
 * Pins the turn's content snapshot and runs the NLU on each message, so the handoff triggers,
 * the dialogs and analytics all read the same understanding.
 */
export class UnderstandingMiddleware implements Middleware {
  constructor(
    private readonly content: ContentSource,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const snapshot = this.content.current();
    setTurnContent(context, snapshot);
    const text = context.activity.type === 'message' ? context.activity.text?.trim() : undefined;
    const chosen = chosenIntentOf(context.activity);
    if (chosen && snapshot.knowledge.intent(chosen)) {
      setTurnUnderstanding(context, chosenUnderstanding(text ?? '', chosen, languageOf(getReplyLocale(context))));
    } else if (text) {
      const started = performance.now();
      const understanding = snapshot.nlu.analyze(text);
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
  }
}

const LANGUAGE_OF_LOCALE: Readonly<Record<Locale, DetectedLanguage>> = { en: 'en', 'zh-CN': 'zh-Hans', 'zh-TW': 'zh-Hant', 'zh-HK': 'yue' };

function languageOf(locale: Locale | undefined): DetectedLanguage {
  return LANGUAGE_OF_LOCALE[locale ?? 'en'];
}
