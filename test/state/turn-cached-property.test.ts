import { ConversationState, MemoryStorage, TestAdapter, TurnContext, type Activity, type StatePropertyAccessor } from 'botbuilder';
import { expect } from 'chai';
import { TurnCachedProperty } from '../../src/state/turn-cached-property.js';

function countingReads<T>(inner: StatePropertyAccessor<T>): { accessor: StatePropertyAccessor<T>; reads: () => number } {
  let reads = 0;
  return {
    accessor: {
      get: ((context: TurnContext, defaultValue?: T) => {
        reads += 1;
        return inner.get(context, defaultValue as T);
      }) as StatePropertyAccessor<T>['get'],
      set: (context, value) => inner.set(context, value),
      delete: (context) => inner.delete(context),
    },
    reads: () => reads,
  };
}

describe('TurnCachedProperty', () => {
  const adapter = new TestAdapter();
  const turn = (text = 'hi') =>
    new TurnContext(adapter, { type: 'message', text, channelId: 'test', conversation: { id: 'c1' }, from: { id: 'u1' }, recipient: { id: 'bot' } } as Activity);

  it('reads the state once per turn and hands every later read the same object, which is saved with the state', async () => {
    const state = new ConversationState(new MemoryStorage());
    const { accessor, reads } = countingReads(state.createProperty<{ count?: number }>('data'));
    const property = new TurnCachedProperty(accessor);
    const first = turn();
    const data = await property.get(first, {});
    data.count = 1;
    expect(await property.get(first, {})).to.equal(data);
    expect(await property.get(first, {})).to.deep.equal({ count: 1 });
    expect(reads()).to.equal(1);
    await state.saveChanges(first);

    const second = turn();
    expect(await property.get(second, {})).to.deep.equal({ count: 1 });
    expect(reads(), 'a new turn reads again').to.equal(2);
  });

  it('reads again after a set or a delete, and does not keep a read that found nothing', async () => {
    const state = new ConversationState(new MemoryStorage());
    const { accessor, reads } = countingReads(state.createProperty<{ count?: number }>('data'));
    const property = new TurnCachedProperty(accessor);
    const context = turn();
    expect(await property.get(context)).to.equal(undefined);
    expect(await property.get(context, { count: 2 })).to.deep.equal({ count: 2 });
    await property.set(context, { count: 3 });
    expect(await property.get(context, {})).to.deep.equal({ count: 3 });
    await property.delete(context);
    expect(await property.get(context, { count: 4 })).to.deep.equal({ count: 4 });
    expect(reads()).to.equal(4);
  });

  it('reads a state property the way botbuilder\'s accessor does (of): the default is copied, not shared, and saved with the state', async () => {
    const state = new ConversationState(new MemoryStorage());
    let loads = 0;
    const load = state.load.bind(state);
    state.load = (context, force) => {
      loads += 1;
      return load(context, force);
    };
    const property = TurnCachedProperty.of<{ seen?: string[] }>(state, 'data');
    const fallback = { seen: [] as string[] };
    const first = turn();
    const data = await property.get(first, fallback);
    data.seen!.push('a');
    expect(fallback.seen, 'the default itself is untouched').to.deep.equal([]);
    expect(await property.get(first, fallback)).to.equal(data);
    expect(loads, 'one read in the turn').to.equal(1);
    await state.saveChanges(first);

    const second = turn();
    expect(await property.get(second, fallback)).to.deep.equal({ seen: ['a'] });
    expect(await state.createProperty('data').get(second)).to.equal(await property.get(second, fallback));
    expect(await TurnCachedProperty.of<number>(state, 'count').get(second, 0)).to.equal(0);
  });
});
