/**
 * The eTag each item a storage handed out was read with, keyed by the item object itself.
 *
 * botbuilder's BotState keeps the object `read()` returned as the turn's state and saves that
 * same object with `eTag: '*'` ("write anyway"), so a storage that honoured '*' literally would
 * let two processes answering one conversation overwrite each other's turns. A storage that
 * remembers the read eTag per object can check it instead: concurrent turns each read their own
 * object, so they cannot mix up each other's eTags, and a WeakMap forgets a turn's state with it.
 */
export class ReadETags {
  private readonly byItem = new WeakMap<object, string>();

  /** Records the eTag `item` was read (or last written) with. */
  remember(item: unknown, eTag: string): void {
    if (isObject(item)) this.byItem.set(item, eTag);
  }

  /**
   * The eTag a write of `item` must match: its own unless it says '*', then the one it was
   * read with; '*' or undefined (write unconditionally) for an item this storage never handed out.
   */
  expected(item: unknown): string | undefined {
    if (!isObject(item)) return undefined;
    const own = (item as { eTag?: unknown }).eTag;
    if (typeof own === 'string' && own !== '' && own !== '*') return own;
    return this.byItem.get(item) ?? (own === '*' ? '*' : undefined);
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
