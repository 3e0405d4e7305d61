import type { Middleware, StatePropertyAccessor, TurnContext, UserState } from 'botbuilder';
import type { I18n } from '../i18n/create-i18n.js';
import { recognizeLanguageRequest } from './language-request.js';
import { setReplyLocale } from './turn-state.js';
import type { UserProfile } from './user-profile.js';

/**
 * "Please reply in English", "講廣東話": a command, handled before anything reads the message
 * as a question (the handoff triggers, the dialogs). The choice is remembered in the profile and
 * wins over the language later messages are written in.
 */
export class LanguageRequestMiddleware implements Middleware {
  constructor(
    private readonly profile: StatePropertyAccessor<UserProfile>,
    private readonly userState: UserState,
    private readonly i18n: I18n,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const requested = context.activity.type === 'message' ? recognizeLanguageRequest(context.activity.text ?? '') : undefined;
    if (!requested) return next();
    const profile = await this.profile.get(context, {});
    profile.chosenLocale = requested;
    setReplyLocale(context, requested);
    // The turn ends here, before the bot would save the profile.
    await this.userState.saveChanges(context);
    await context.sendActivity(this.i18n.t('common:languageSwitched', { lng: requested }));
  }
}
