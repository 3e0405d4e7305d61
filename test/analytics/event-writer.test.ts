import { expect } from 'chai';
import { EventWriter } from '../../src/analytics/event-writer.js';
import type { AnalyticsStore } from '../../src/analytics/store/analytics-store.js';
import type { AnalyticsEvent, TranscriptEvent } from '../../src/analytics/types.js';
import { memoryLogger } from '../support/silent-logger.js';
import { BACKENDS, type BackendUnderTest } from './support.js';

const line = (id: string, text: string, at = 1_000): TranscriptEvent => ({ kind: 'transcript', id, at, conversation: 'c1', user: 'u1', channel: 'test', role: 'customer', text });
const RANGE = { since: 0, until: 10_000 };

for (const backend of BACKENDS) {
  describe(`analytics writer: events the store cannot take (${backend.name})`, () => {
    let subject: ReturnType<BackendUnderTest['create']>;
    let writer: EventWriter;
    let deadLettered: number;
    let logs: () => Record<string, unknown>[];

    beforeEach(async () => {
      subject = backend.create();
      await subject.store.migrate();
      deadLettered = 0;
      const logger = memoryLogger('info');
      logs = logger.lines;
      writer = new EventWriter(subject.store, {
        batchSize: 100, flushMs: 10, bufferLimit: 1_000, retryMaxMs: 50, logger: logger.logger,
        onDeadLettered: (count) => (deadLettered += count),
      });
    });
    afterEach(async () => {
      await writer?.close();
      await subject.dispose();
    });

    it('stores text with NUL and lone surrogates instead of retrying the batch forever', async () => {
      writer.record(line('nul', 'where is the toilet\u0000'));
      writer.record(line('lone', 'half a pair \uD83D here', 1_001));
      writer.record(line('pair', 'a whole pair 🙂', 1_002));
      await writer.flush();
      expect(writer.stats()).to.include({ buffered: 0, written: 3, deadLettered: 0 });
      const texts = (await subject.store.transcript(RANGE)).map((event) => event.text);
      expect(texts).to.deep.equal(['where is the toilet', 'half a pair \uFFFD here', 'a whole pair 🙂']);

      writer.record(line('later', 'and the next message', 1_003));
      await writer.flush();
      expect((await subject.store.transcript(RANGE)).map((event) => event.id)).to.include('later');
    });

    it('sets aside an event the store refuses for good and writes the rest of its batch', async () => {
      writer.record(line('before', 'first'));
      writer.record({ ...line('poison', 'x', 1_001), text: null } as unknown as AnalyticsEvent);
      writer.record(line('after', 'last', 1_002));
      await writer.flush();
      expect(writer.stats()).to.include({ buffered: 0, written: 2, deadLettered: 1 });
      expect(deadLettered).to.equal(1);
      expect((await subject.store.transcript(RANGE)).map((event) => event.id)).to.deep.equal(['before', 'after']);
      const logged = logs().find((entry) => entry.msg === 'analytics event refused by the store; set aside (dead-lettered)');
      expect(logged?.event).to.deep.equal({ id: 'poison', kind: 'transcript', at: 1_001 });
      await writer.checkProgress();
    });
  });
}

describe('analytics writer: readiness', () => {
  it('reports a writer that has not written for longer than the stall limit, and recovers', async () => {
    let now = 0;
    let up = false;
    const written: AnalyticsEvent[] = [];
    const store = {
      write: async (events: readonly AnalyticsEvent[]) => {
        if (!up) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        written.push(...events);
      },
    } as unknown as AnalyticsStore;
    const writer = new EventWriter(store, { batchSize: 10, flushMs: 10, bufferLimit: 100, retryMaxMs: 20, stallMs: 60_000, now: () => now, logger: memoryLogger('silent').logger });
    try {
      writer.record(line('a', 'waiting'));
      await writer.flush();
      await writer.checkProgress();
      now += 59_000;
      await writer.flush();
      await writer.checkProgress();
      now += 2_000;
      let failure: unknown;
      await writer.checkProgress().catch((error: unknown) => (failure = error));
      expect(String(failure)).to.match(/analytics writer stuck for 61 s with 1 events waiting: connect ECONNREFUSED/);
      expect(writer.stats().deadLettered, 'a connection failure is not the event\'s fault').to.equal(0);

      up = true;
      await writer.flush();
      await writer.checkProgress();
      expect(written.map((event) => event.id)).to.deep.equal(['a']);
    } finally {
      await writer.close();
    }
  });
});

describe('analytics writer: timers', () => {
  it('sets its write timer once for a burst of events past a full batch, and still writes them all', async () => {
    const written: AnalyticsEvent[] = [];
    const store = { write: async (events: readonly AnalyticsEvent[]) => void written.push(...events) } as unknown as AnalyticsStore;
    const writer = new EventWriter(store, { batchSize: 10, flushMs: 1_000, bufferLimit: 10_000, retryMaxMs: 50, logger: memoryLogger('info').logger });
    const realSetTimeout = globalThis.setTimeout;
    let timers = 0;
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      timers += 1;
      return realSetTimeout(...args);
    }) as typeof setTimeout;
    try {
      for (let i = 0; i < 1_000; i++) writer.record(line(`e${i}`, 'text', 1_000 + i));
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    expect(timers, 'one for the first event, one when the batch filled').to.equal(2);
    await writer.close();
    expect(written).to.have.length(1_000);
  });
});
