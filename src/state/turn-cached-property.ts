import type { BotState, StatePropertyAccessor, TurnContext } from 'botbuilder';

/**
 * A state property that reads its value once per turn. A carebot turn reads the profile and
 * the dialogs' conversation data 3-4 times each (middleware, dialogs, answer); botbuilder's
 * accessor runs a generator-based async function for every read, and loads the state again
 * (from the turn cache) each time. Here later reads in the turn get the first read's promise.
 *
 * The value is the very object the state holds, as with botbuilder's accessor: mutations are
 * saved with the state. `set` and `delete` go through botbuilder's accessor and reset the cache.
 * A read without a default that finds nothing is not cached (a later read may create it).
 */
export class TurnCachedProperty<T> implements StatePropertyAccessor<T> {
  private readonly key = Symbol('turn-cached-property');

  constructor(
    private readonly inner: StatePropertyAccessor<T>,
    /** The state and property name behind `inner`, when it is botbuilder's accessor: reads then skip it. */
    private readonly source?: { readonly state: BotState; readonly name: string },
  ) {}

  /** The property `name` of `state`, read once per turn. */
  static of<T>(state: BotState, name: string): TurnCachedProperty<T> {
    return new TurnCachedProperty(state.createProperty<T>(name), { state, name });
  }

  get(context: TurnContext): Promise<T | undefined>;
  get(context: TurnContext, defaultValue: T): Promise<T>;
  get(context: TurnContext, defaultValue?: T): Promise<T | undefined> {
    const cached = context.turnState.get(this.key) as Promise<T> | undefined;
    if (cached) return cached;
    if (defaultValue === undefined) return this.inner.get(context);
    const read = this.source ? readProperty(this.source.state, this.source.name, context, defaultValue) : this.inner.get(context, defaultValue);
    context.turnState.set(this.key, read);
    return read;
  }

  async set(context: TurnContext, value: T): Promise<void> {
    context.turnState.delete(this.key);
    await this.inner.set(context, value);
  }

  async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.key);
    await this.inner.delete(context);
  }
}

/**
 * What botbuilder's accessor does for a read with a default (botbuilder-core 4.23
 * botStatePropertyAccessor.js), as a plain async function: its generator-based `__awaiter` was
 * ~6 KB of garbage per turn for the four properties a turn reads.
 */
async function readProperty<T>(botState: BotState, name: string, context: TurnContext, defaultValue: T): Promise<T> {
  const state = (await botState.load(context)) as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(state, name)) {
    state[name] = typeof defaultValue === 'object' && defaultValue !== null ? JSON.parse(JSON.stringify(defaultValue)) : defaultValue;
  }
  return state[name] as T;
}
