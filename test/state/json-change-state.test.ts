import { MemoryStorage, TestAdapter, TurnContext, type Activity, type StoreItems } from 'botbuilder';
import { expect } from 'chai';
import { ExpiringMemoryStorage } from '../../src/state/expiring-memory-storage.js';
import { JsonConversationState, JsonUserState } from '../../src/state/json-change-state.js';
import { stateSnapshot } from '../../src/state/state-json.js';

/** MemoryStorage that counts its writes. */
class CountingStorage extends MemoryStorage {
  writes = 0;

  override async write(changes: StoreItems): Promise<void> {
    this.writes += 1;
    await super.write(changes);
  }
}

function turnContext(): TurnContext {
  const activity = {
    type: 'message',
    channelId: 'test',
    conversation: { id: 'conversation-1' },
    from: { id: 'user-1' },
    recipient: { id: 'bot' },
    text: 'hi',
  } as Partial<Activity> as Activity;
  return new TurnContext(new TestAdapter(), activity);
}

describe('state change detection by JSON', () => {
  for (const [name, make] of [
    ['conversation', (storage: MemoryStorage) => new JsonConversationState(storage)],
    ['user', (storage: MemoryStorage) => new JsonUserState(storage)],
  ] as const) {
    it(`writes ${name} state only when a turn changed it, and reads back what it wrote`, async () => {
      const storage = new CountingStorage();
      const state = make(storage);
      const data = state.createProperty<{ count?: number; seen?: string[] }>('data');

      const first = turnContext();
      const value = await data.get(first, {});
      await state.saveChanges(first);
      expect(storage.writes, 'a new default value is a change').to.equal(1);
      value.count = 1;
      value.seen = ['a'];
      await state.saveChanges(first);
      expect(storage.writes, 'a second change in the same turn').to.equal(2);
      await state.saveChanges(first);
      expect(storage.writes, 'nothing changed since the last save').to.equal(2);

      const second = turnContext();
      const read = await data.get(second, {});
      expect(read).to.deep.equal({ count: 1, seen: ['a'] });
      await state.saveChanges(second);
      expect(storage.writes, 'a turn that only reads').to.equal(2);
      read.seen!.push('b');
      await state.saveChanges(second);
      expect(storage.writes, 'a nested change').to.equal(3);
      await state.saveChanges(second, true);
      expect(storage.writes, 'forced').to.equal(4);

      const third = turnContext();
      expect(await data.get(third)).to.deep.equal({ count: 1, seen: ['a', 'b'] });
      await state.clear(third);
      await state.saveChanges(third);
      expect(storage.writes, 'cleared').to.equal(5);
      expect(await data.get(turnContext())).to.equal(undefined);
    });
  }

  it('saves twice in one turn on the eTag-checking memory storage (a feature that ends a turn early saves, then the bot does)', async () => {
    const storage = new ExpiringMemoryStorage({ ttlMs: 0 });
    const state = new JsonConversationState(storage);
    const data = state.createProperty<{ count?: number }>('data');
    const first = turnContext();
    await data.set(first, { count: 0 });
    await state.saveChanges(first);
    const context = turnContext();
    (await data.get(context, {})).count = 1;
    await state.saveChanges(context);
    (await data.get(context, {})).count = 2;
    await state.saveChanges(context);
    expect(await data.get(turnContext())).to.deep.equal({ count: 2 });
  });

  it('saves again a change made while a write was under way (the snapshot compared before the write is the one kept)', async () => {
    let duringWrite: (() => void) | undefined;
    class SlowStorage extends CountingStorage {
      override async write(changes: StoreItems): Promise<void> {
        await super.write(changes);
        duringWrite?.();
        duringWrite = undefined;
      }
    }
    const storage = new SlowStorage();
    const state = new JsonConversationState(storage);
    const data = state.createProperty<{ count?: number }>('data');
    const context = turnContext();
    const value = await data.get(context, { count: 0 });
    duringWrite = () => {
      value.count = 1;
    };
    await state.saveChanges(context);
    await state.saveChanges(context);
    expect(storage.writes).to.equal(2);
    expect(await data.get(turnContext())).to.deep.equal({ count: 1 });
  });

  for (const [name, make] of [
    ['conversation', (storage: ExpiringMemoryStorage) => new JsonConversationState(storage)],
    ['user', (storage: ExpiringMemoryStorage) => new JsonUserState(storage)],
  ] as const) {
    it(`builds the ${name} state's JSON once in a turn that reads and changes it (the storage hands over what it read, the save what it compared)`, async () => {
      const storage = new ExpiringMemoryStorage({ ttlMs: 0 });
      const state = make(storage);
      const data = state.createProperty<{ count?: number; seen?: string[] }>('data');
      const first = turnContext();
      (await data.get(first, {})).count = 1;
      await state.saveChanges(first);

      const stringify = JSON.stringify;
      let calls = 0;
      JSON.stringify = ((...args: Parameters<typeof JSON.stringify>) => {
        calls += 1;
        return stringify(...args);
      }) as typeof JSON.stringify;
      try {
        const context = turnContext();
        const value = await data.get(context, {});
        value.count = 2;
        value.seen = ['a'];
        await state.saveChanges(context);
      } finally {
        JSON.stringify = stringify;
      }
      expect(calls, 'one stringify: the comparison at the save').to.equal(1);
      expect(await data.get(turnContext())).to.deep.equal({ count: 2, seen: ['a'] });
    });
  }

  it('ignores the eTag, which the storage changes on every write', () => {
    expect(stateSnapshot({ eTag: '1', data: { a: 1 } })).to.equal(stateSnapshot({ eTag: '2', data: { a: 1 } }));
    expect(stateSnapshot({ data: { a: 1 } })).not.to.equal(stateSnapshot({ data: { a: 2 } }));
  });
});
