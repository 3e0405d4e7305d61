import { randomUUID } from 'node:crypto';
import {
  ActivityEventNames,
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { renderForConsole } from './render.js';
import type { TurnLogic } from '../../src/channels/channel-registry.js';

export interface ConsoleAdapterOptions {
  /** Receives every line the bot says. */
  write: (line: string) => void;
  locale?: string;
  userId?: string;
  userName?: string;
}

/** A channel for the terminal: `npm run chat` talks to the same bot core as every other channel. */
export class ConsoleAdapter extends BotAdapter {
  private readonly options: ConsoleAdapterOptions;
  private readonly reference: ConversationReference;
  private readonly user: { id: string; name: string };

  constructor(options: ConsoleAdapterOptions) {
    super();
    this.options = options;
    this.user = { id: options.userId ?? 'console-user', name: options.userName ?? 'You' };
    this.reference = {
      channelId: 'console',
      serviceUrl: 'console://local',
      conversation: { id: `console-${randomUUID()}`, isGroup: false, conversationType: 'personal', name: 'console' },
      user: this.user,
      bot: { id: 'carebot', name: 'carebot' },
      locale: options.locale,
    };
  }

  /** Opens the conversation the way channels do: the user joins, the bot may greet. */
  async start(logic: TurnLogic): Promise<void> {
    await this.receiveActivity({ type: ActivityTypes.ConversationUpdate, membersAdded: [this.user] }, logic);
  }

  async receiveText(text: string, logic: TurnLogic): Promise<void> {
    await this.receiveActivity({ type: ActivityTypes.Message, text }, logic);
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await new Promise((resolve) => setTimeout(resolve, typeof activity.value === 'number' ? activity.value : 1000));
      } else {
        for (const line of renderForConsole(activity)) this.options.write(line);
      }
      responses.push({ id: activity.id ?? randomUUID() });
    }
    return responses;
  }

  async updateActivity(): Promise<void> {
    throw new Error('The console channel cannot edit a message it already printed');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('The console channel cannot delete a message it already printed');
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: ActivityEventNames.ContinueConversation }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  private async receiveActivity(partial: Partial<Activity>, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { ...partial, id: randomUUID(), timestamp: new Date(), locale: this.reference.locale },
      this.reference,
      true,
    ) as Activity;
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
