import { expect } from 'chai';
import { AnalyticsQueries } from '../../src/analytics/analytics-queries.js';
import { EventWriter } from '../../src/analytics/event-writer.js';
import { recordHandoffs } from '../../src/analytics/handoff-recorder.js';
import { AnalyticsPrometheus } from '../../src/analytics/prometheus.js';
import { KyselyAnalyticsStore } from '../../src/analytics/store/kysely-store.js';
import { eventually, startHarness, type Harness } from '../handoff/harness.js';
import { memoryLogger } from '../support/silent-logger.js';
import { testKeys } from './support.js';

describe('analytics: handoff lifecycle and CSAT recorded from the handoff feature', function () {
  this.timeout(30_000);
  let harness: Harness;
  let store: KyselyAnalyticsStore;
  afterEach(async () => {
    await harness?.close();
    await store?.close();
  });

  it('records queued, accepted, resolved (with the agent transcript, redacted) and the CSAT answer of one conversation', async () => {
    harness = await startHarness({ understand: (text) => (text === 'I want a person' ? { intent: 'core.human', language: 'en' } : undefined) });
    store = new KyselyAnalyticsStore({ sqliteFile: ':memory:' });
    const writer = new EventWriter(store, { batchSize: 100, flushMs: 10, bufferLimit: 1000, retryMaxMs: 50, logger: memoryLogger('silent').logger });
    const prometheus = new AnalyticsPrometheus(() => writer.stats().buffered);
    const stop = recordHandoffs(harness.feature.service, writer, prometheus, memoryLogger('silent').logger, testKeys);

    await harness.say('joe', 'I want a person', 'en');
    const ann = await harness.agent('ann');
    const accepted = await ann.next();
    expect(accepted.status).to.equal(200);
    const id = accepted.body.handoff.id as string;
    await ann.send(id, 'Sure, mail me at ann@example.com');
    expect((await ann.call('POST', `/api/agent/handoffs/${id}/resolve`, { disposition: 'solved' })).status).to.equal(200);
    await harness.customers.waitFor('joe', (line: string) => /1.*5/.test(line));
    await harness.say('joe', '2', 'en');
    await harness.say('joe', 'waited too long, call 9123 4567', 'en');

    await eventually(async () => (await writer.flush(), (await store.csat({ since: 0, until: Date.now() + 1000 })).length === 1 || undefined));
    stop();
    const range = { since: 0, until: Date.now() + 1000 };
    const events = await store.handoffEvents(range);
    expect(events.map((e) => e.type)).to.deep.equal(['queued', 'accepted', 'resolved']);
    const conversation = testKeys.conversation(harness.customers.channelId, 'conv-joe');
    expect(events.every((e) => e.conversation === conversation && e.reason === 'explicit' && e.handoffId === id)).to.equal(true);
    expect(events[2]).to.include({ disposition: 'solved', agentId: 'ann' });
    const [csat] = await store.csat(range);
    expect(csat).to.include({ handoffId: id, conversation, score: 2, agentId: 'ann', comment: 'waited too long, call [PHONE]' });
    const transcript = await store.transcript(range);
    expect(transcript.filter((t) => t.role === 'agent').map((t) => t.text)).to.deep.equal(['Sure, mail me at [EMAIL]']);
    const metrics = new AnalyticsQueries(store);
    // No turns were recorded here (no turn recorder on this bot), so conversation metrics are empty by definition.
    expect((await metrics.metrics(range)).summary.conversations).to.equal(0);
    expect(await prometheus.registry.getSingleMetricAsString('carebot_handoffs_total')).to.match(/reason="explicit".* 1/);
  });
});
