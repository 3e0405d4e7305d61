import { systemClock, type Clock } from './clock.js';

export interface RateLimits {
  /** Messages a second one chat may receive. */
  readonly perChatPerSecond: number;
  /** Messages a second the whole account may send. */
  readonly overallPerSecond: number;
}


/**
 * Spaces sends so no chat gets more than `perChatPerSecond` messages a second and the account
 * sends no more than `overallPerSecond` (WhatsApp bans numbers that send too fast). Each call
 * reserves the next free slot for its chat and the account, then waits for it.
 */
export class SendPacer {
  /** Chats sent to within the last moments: past 1,000, those whose slot has passed are forgotten. */
  private readonly nextForChat = new Map<string, number>();
  private nextOverall = 0;

  constructor(
    private readonly limits: RateLimits,
    private readonly clock: Clock = systemClock,
  ) {}

  async acquire(chatId: string): Promise<void> {
    const now = this.clock.now();
    const chatGap = 1000 / this.limits.perChatPerSecond;
    const overallGap = 1000 / this.limits.overallPerSecond;
    const slot = Math.max(now, this.nextForChat.get(chatId) ?? 0, this.nextOverall);
    this.nextForChat.set(chatId, slot + chatGap);
    this.nextOverall = slot + overallGap;
    this.forgetIdleChats(now);
    if (slot > now) await this.clock.sleep(slot - now);
  }

  private forgetIdleChats(now: number): void {
    if (this.nextForChat.size < 1000) return;
    for (const [chat, next] of this.nextForChat) if (next < now) this.nextForChat.delete(chat);
  }
}
