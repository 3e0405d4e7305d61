/** One inbound callback still waiting for its HTTP response, which may carry the first reply. */
interface Slot {
  open: boolean;
  resolve: (text: string) => void;
}

/**
 * The passive-reply budget: WeChat waits 5 seconds for the HTTP response to a callback, and that
 * response may carry one reply. The first reply a chat's turn sends within the budget goes there;
 * once the budget is spent (or the first reply was used) everything goes through the API.
 */
export class PassiveReplies {
  /** Callbacks still waiting for their HTTP response (5 s at most): each slot leaves when its callback answers. */
  private readonly waiting = new Map<string, Slot[]>();

  /**
   * Opens a slot for `chatId` and resolves with the reply that took it, or undefined when
   * `done` settles first (the turn sent nothing) or `budgetMs` passes.
   */
  async await(chatId: string, budgetMs: number, done: Promise<unknown>): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const slot: Slot = { open: true, resolve: () => undefined };
    const replied = new Promise<string>((resolve) => {
      slot.resolve = resolve;
    });
    // Closed in the same tick the budget ends or the turn finishes, so no reply can take a slot nobody reads.
    const close = (): undefined => {
      slot.open = false;
      return undefined;
    };
    this.waiting.set(chatId, [...(this.waiting.get(chatId) ?? []), slot]);
    try {
      return await Promise.race([
        replied,
        done.then(close, close),
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(close()), budgetMs);
        }),
      ]);
    } finally {
      slot.open = false;
      clearTimeout(timer);
      const rest = (this.waiting.get(chatId) ?? []).filter((other) => other !== slot);
      if (rest.length > 0) this.waiting.set(chatId, rest);
      else this.waiting.delete(chatId);
    }
  }

  /** True while a callback of this chat still waits for a reply it may carry. */
  isOpen(chatId: string): boolean {
    return this.waiting.get(chatId)?.some((slot) => slot.open) ?? false;
  }

  /** Hands `text` to the chat's oldest open slot; false when none is open (send it through the API). */
  take(chatId: string, text: string): boolean {
    const slot = this.waiting.get(chatId)?.find((candidate) => candidate.open);
    if (!slot) return false;
    slot.open = false;
    slot.resolve(text);
    return true;
  }
}
