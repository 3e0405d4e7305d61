import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { TurnLogic } from '../../src/channels/channel-registry.js';

/** A channel with no transport, so benchmarks measure the bot pipeline and nothing else. */
export class BenchAdapter extends BotAdapter {
  sent = 0;

  async process(activity: Partial<Activity>, logic: TurnLogic): Promise<void> {
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.sent += activities.length;
    return activities.map((_, index) => ({ id: String(index) }));
  }

  async updateActivity(): Promise<void> {}

  async deleteActivity(): Promise<void> {}

  async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    await this.process(TurnContext.applyConversationReference({ type: 'event' }, reference, true), logic);
  }
}
