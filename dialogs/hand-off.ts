import type { TurnContext } from 'botbuilder';
import type { HandoffRequest } from '../src/bot/handoff-requester.js';
import { getReplyLocale } from '../src/bot/turn-state.js';
import type { DialogServices } from './dialog-services.js';

/** Starts a handoff, or says plainly that no person can be reached from here. */
export async function handOff(context: TurnContext, services: DialogServices, request: HandoffRequest): Promise<void> {
  const data = await services.conversationData.get(context, {});
  data.consecutiveFallbacks = 0;
  const started = services.handoff ? await services.handoff.request(context, request) : false;
  if (!started) await context.sendActivity(services.i18n.t('dialogs:handoffUnavailable', { lng: getReplyLocale(context) ?? services.defaultLocale }));
}
