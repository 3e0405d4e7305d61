import type { TurnContext } from 'botbuilder';
import { redact } from '../../analytics/redact.js';
import type { Locale } from '../../config.js';
import type { CustomerNotices } from '../customer-notices.js';
import type { RoutingPolicy } from '../routing/routing-policy.js';
import { DEFAULT_SKILL, localize, type SkillCatalog } from '../skills.js';
import { backToBot, replyLocale, wantsToStop, type HandoffConversation } from './handoff-conversation.js';
import type { HandoffIntake } from './handoff-intake.js';

export interface PrescreenDeps {
  readonly skills: SkillCatalog;
  readonly routing: RoutingPolicy;
  readonly intake: HandoffIntake;
  readonly notices: CustomerNotices;
  readonly defaultLocale: Locale;
}

/** Pre-screening: asks the skill's fields one by one (checked against their patterns), then queues the handoff. */
export class Prescreen {
  constructor(private readonly deps: PrescreenDeps) {}

  /** Takes the turn (always true: a pre-screening conversation belongs to the handoff until it ends). */
  async handle(context: TurnContext, state: HandoffConversation, text: string): Promise<boolean> {
    const { notices } = this.deps;
    const locale = replyLocale(context, this.deps.defaultLocale);
    if (wantsToStop(context, text)) {
      backToBot(state);
      await context.sendActivity(notices.text(locale, 'cancelled'));
      return true;
    }
    const skill = this.deps.skills.skills.get(state.skill ?? DEFAULT_SKILL) ?? this.deps.routing.skillFor({});
    const prescreen = (state.prescreen ??= { index: 0, slots: {} });
    const field = skill.fields[prescreen.index];
    if (field) {
      if (field.pattern && !new RegExp(field.pattern, 'u').test(text)) {
        await context.sendActivity(`${localize(field.invalid, locale, notices.text(locale, 'prescreenInvalid'))} ${localize(field.prompt, locale)}`);
        return true;
      }
      prescreen.slots[field.id] = redact(text);
      prescreen.index += 1;
      const following = skill.fields[prescreen.index];
      if (following) {
        await context.sendActivity(localize(following.prompt, locale));
        return true;
      }
    }
    await this.deps.intake.enqueue(context, state, skill);
    return true;
  }
}
