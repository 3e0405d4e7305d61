import { ConversationState, UserState, type BotState, type Storage, type StoreItems, type TurnContext } from 'botbuilder';
import { rememberWriteJson, stateSnapshot, takeReadJson } from './state-json.js';

interface CachedState {
  state: Record<string, unknown>;
  hash: string;
}

/**
 * BotState's load and saveChanges (botbuilder-core 4.23 botState.js) with `stateSnapshot` as the
 * change hash: the state as JSON, without its eTag. botbuilder hashes the same JSON (SHA-256 of a
 * stringify that calls a replacer on every value, for `_replacer` hooks and circular references
 * that no carebot state has) up to three times per state per turn, ~5% of a dialog turn; comparing
 * the JSON itself decides the same thing. State that cannot be JSON is refused by every storage anyway.
 */
class JsonChangeDetection {
  constructor(
    private readonly owner: BotState,
    private readonly storage: Storage,
    private readonly storageKey: (context: TurnContext) => string,
  ) {}

  private stateKey(): symbol {
    return (this.owner as unknown as { stateKey: symbol }).stateKey;
  }

  async load(context: TurnContext, force: boolean): Promise<Record<string, unknown>> {
    const cached = context.turnState.get(this.stateKey()) as CachedState | undefined;
    if (!force && cached?.state) return cached.state;
    const key = this.storageKey(context);
    const items = await this.storage.read([key]);
    const state = (items[key] as Record<string, unknown> | undefined) ?? {};
    context.turnState.set(this.stateKey(), { state, hash: takeReadJson(state) ?? stateSnapshot(state) } satisfies CachedState);
    return state;
  }

  async saveChanges(context: TurnContext, force: boolean): Promise<void> {
    let cached = context.turnState.get(this.stateKey()) as CachedState | undefined;
    const snapshot = cached ? stateSnapshot(cached.state) : undefined;
    if (!force && !(cached && cached.hash !== snapshot)) return;
    const key = this.storageKey(context);
    cached ??= { state: {}, hash: '' };
    // The storage writes the JSON just compared instead of building it again: nothing runs
    // between here and its write (the key needs no await).
    if (snapshot !== undefined) rememberWriteJson(cached.state, snapshot);
    cached.state.eTag = '*';
    const changes: StoreItems = { [key]: cached.state };
    await this.storage.write(changes);
    // The snapshot leaves the eTag out, the one thing a write changes: botbuilder hashed the state once more here.
    cached.hash = snapshot ?? stateSnapshot(cached.state);
    context.turnState.set(this.stateKey(), cached);
  }
}

/**
 * The state's storage key without botbuilder's `Promise.resolve` around it, so a save can hand
 * its JSON to the storage with no await in between.
 */
function storageKeyNow(state: ConversationState | UserState, context: TurnContext): string {
  const key = state.getStorageKey(context);
  if (!key) throw new Error(`${state.constructor.name}: getStorageKey did not return a key.`);
  return key;
}

/** botbuilder's ConversationState, telling changes apart by `stateSnapshot`. */
export class JsonConversationState extends ConversationState {
  private readonly changes: JsonChangeDetection;

  constructor(storage: Storage, namespace?: string) {
    super(storage, namespace);
    this.changes = new JsonChangeDetection(this, storage, (context) => storageKeyNow(this, context));
  }

  override load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    return this.changes.load(context, force);
  }

  override saveChanges(context: TurnContext, force = false): Promise<void> {
    return this.changes.saveChanges(context, force);
  }
}

/** botbuilder's UserState, telling changes apart by `stateSnapshot`. */
export class JsonUserState extends UserState {
  private readonly changes: JsonChangeDetection;

  constructor(storage: Storage, namespace?: string) {
    super(storage, namespace);
    this.changes = new JsonChangeDetection(this, storage, (context) => storageKeyNow(this, context));
  }

  override load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    return this.changes.load(context, force);
  }

  override saveChanges(context: TurnContext, force = false): Promise<void> {
    return this.changes.saveChanges(context, force);
  }
}
