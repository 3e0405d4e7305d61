import type { BotAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { AdapterError } from '../errors.js';

/** What /readyz details and /admin/channels show for a channel. */
export interface ChannelStatus {
  readonly channelId: string;
  /** connected: sending and receiving; connecting: starting or waiting for a login; down: failed. */
  readonly state: 'connected' | 'connecting' | 'logged-out' | 'down';
  readonly loggedInAs?: string | undefined;
  readonly lastMessageAt?: string | undefined;
  readonly sendFailures: number;
  /** A login QR code payload to show an operator, while one is pending. */
  readonly qrCode?: string | undefined;
  readonly detail?: string | undefined;
  /** False when a down channel should not make the whole process unready (e.g. waiting for a QR scan). */
  readonly required: boolean;
}

/** A channel the bot talks on: its botbuilder adapter plus lifecycle and status. */
export interface Channel {
  readonly id: string;
  /** Activity channel ids this channel serves when they differ from `id` (Bot Framework: msteams, emulator, webchat). */
  readonly channelIds?: readonly string[];
  readonly adapter: BotAdapter;
  status(): ChannelStatus;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/** What a turn runs: the bot's `run`, or a proactive message's logic. */
export type TurnLogic = (context: TurnContext) => Promise<void>;

/**
 * Every channel adapter of this process, by channel id. Proactive messages (agent replies,
 * queue positions, CSAT) find the customer's own adapter here through the stored
 * conversation reference.
 */
export class ChannelRegistry {
  /** The configured channels, registered at startup. */
  private readonly channels = new Map<string, Channel>();
  private readonly byActivityChannelId = new Map<string, Channel>();

  register(channel: Channel): void {
    const ids = [channel.id, ...(channel.channelIds ?? [])];
    const taken = ids.find((id) => this.byActivityChannelId.has(id));
    if (taken) throw new AdapterError('ADAPTER_SEND_FAILED', `Channel id "${taken}" is registered twice`);
    this.channels.set(channel.id, channel);
    for (const id of ids) this.byActivityChannelId.set(id, channel);
  }

  /** The channel serving an activity's `channelId`. */
  get(channelId: string): Channel | undefined {
    return this.byActivityChannelId.get(channelId);
  }

  has(channelId: string): boolean {
    return this.byActivityChannelId.has(channelId);
  }

  list(): Channel[] {
    return [...this.channels.values()];
  }

  statuses(): ChannelStatus[] {
    return this.list().map((channel) => channel.status());
  }

  /** Runs `logic` in the conversation `reference` points to, on that conversation's own channel. */
  async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const channel = reference.channelId ? this.byActivityChannelId.get(reference.channelId) : undefined;
    if (!channel) {
      throw new AdapterError('ADAPTER_SEND_FAILED', `No channel "${reference.channelId ?? '(none)'}" runs in this process`);
    }
    await channel.adapter.continueConversation(reference, logic);
  }

  async startAll(): Promise<void> {
    for (const channel of this.channels.values()) await channel.start?.();
  }

  async stopAll(): Promise<void> {
    for (const channel of [...this.channels.values()].reverse()) await channel.stop?.();
  }
}
