import {
  ActivityEventNames,
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { AdapterError } from '../../src/errors.js';
import type { ConversationStore } from './store/conversation-store.js';
import { renderForKiosk } from './render.js';
import type { TurnLogic } from '../../src/channels/channel-registry.js';

/**
 * The kiosk channel's botbuilder adapter (channel id `directline`). Incoming activities come from
 * the Direct Line API; replies are rendered for kiosks (speak, inputHint, locale) and appended to
 * the conversation's log, from where GET /activities and the WebSocket stream deliver them.
 */
export class KioskAdapter extends BotAdapter {
  sendFailures = 0;
  lastMessageAt: string | undefined;

  constructor(
    private readonly store: ConversationStore,
    private readonly defaultLocale: string,
  ) {
    super();
  }

  /** Runs one turn for an activity a client posted (already appended to the log by the caller). */
  async receive(activity: Partial<Activity>, logic: TurnLogic): Promise<void> {
    this.lastMessageAt = new Date().toISOString();
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay' || activity.type === ActivityTypes.Trace) {
        responses.push({ id: '' });
        continue;
      }
      const conversationId = activity.conversation?.id ?? '';
      const id = await this.store.append(conversationId, { ...renderForKiosk(activity, this.defaultLocale), timestamp: new Date() });
      if (!id) {
        this.sendFailures += 1;
        throw new AdapterError('ADAPTER_SEND_FAILED', `Kiosk conversation ${conversationId} is gone (idle reset or restart)`);
      }
      responses.push({ id });
    }
    return responses;
  }

  async updateActivity(): Promise<void> {
    throw new AdapterError('ADAPTER_SEND_FAILED', 'Kiosks cannot edit a message already shown');
  }

  async deleteActivity(): Promise<void> {
    throw new AdapterError('ADAPTER_SEND_FAILED', 'Kiosks cannot delete a message already shown');
  }

  /** Proactive messages (queue position, an agent's replies) to a kiosk conversation. */
  async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: ActivityEventNames.ContinueConversation }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
