import { expect } from 'chai';
import { AnalyticsQueries } from '../../src/analytics/analytics-queries.js';
import { testKeys } from './support.js';
import type { TeachLogEntry } from '../../src/analytics/store/analytics-store.js';
import type { KyselyAnalyticsStore } from '../../src/analytics/store/kysely-store.js';
import { DAY, WEEK, WEEK_START, weekEvents } from './fixture-week.js';
import type { BackendUnderTest } from './support.js';

/** The one contract every AnalyticsStore meets; run against SQLite and PostgreSQL. */
export function analyticsStoreContract(backend: BackendUnderTest): void {
  describe(`analytics store contract: ${backend.name}`, () => {
    let store: KyselyAnalyticsStore;
    let dispose: () => Promise<void>;
    let queries: AnalyticsQueries;

    beforeEach(async () => {
      ({ store, dispose } = backend.create());
      await store.migrate();
      await store.write(weekEvents());
      queries = new AnalyticsQueries(store);
    });
    afterEach(async () => dispose());

    it('migrates idempotently and ignores a batch written twice', async () => {
      await store.migrate();
      const events = weekEvents();
      await store.write(events);
      await store.write(events);
      expect((await store.turns(WEEK)).length).to.equal(46);
    });

    it('computes every metric of the scripted week as counted by hand', async () => {
      const m = await queries.metrics(WEEK);
      expect(m.summary.conversations).to.equal(10);
      expect(m.summary.handedOff).to.equal(5);
      expect(m.summary.containmentRate).to.equal(0.5);
      expect(m.summary.handoffRate).to.equal(0.5);
      expect(m.turns).to.equal(23);
      expect(m.summary.botTurns).to.equal(18);
      expect(m.summary.fallbackTurns).to.equal(7);
      expect(m.summary.fallbackRate).to.be.closeTo(7 / 18, 1e-12);
      expect(m.handoffs).to.equal(5);
      expect(m.handoffReasons).to.deep.equal({ explicit: 2, sentiment: 1, fallback: 1, topic: 1 });
      expect(m.abandonedHandoffs).to.equal(1);
      expect(m.waitMs).to.deep.equal({ count: 4, avg: 127_500, p90: 240_000 });
      expect(m.handleMs).to.deep.equal({ count: 3, avg: 340_000, p90: 600_000 });
      expect(m.dispositions).to.deep.equal({ solved: 2, refund: 1 });
      expect(m.summary.csatResponses).to.equal(3);
      expect(m.summary.csatAverage).to.be.closeTo(11 / 3, 1e-12);
      expect(m.csatDistribution).to.deep.equal({ '1': 0, '2': 1, '3': 0, '4': 1, '5': 1 });
      expect(m.topIntents).to.deep.equal([
        { intent: 'hr.leave', turns: 4 },
        { intent: 'billing.balance', turns: 3 },
        { intent: 'telecom.roaming', turns: 3 },
        { intent: 'core.greeting', turns: 1 },
      ]);
      expect(m.latencyMs).to.deep.equal({ count: 18, avg: 100, p90: 100 });
      const pick = <T extends { conversations: number; handedOff: number }>(rows: T[], key: keyof T) => Object.fromEntries(rows.map((r) => [r[key], [r.conversations, r.handedOff]]));
      expect(pick(m.byChannel, 'channel')).to.deep.equal({ kiosk: [1, 0], teams: [2, 1], wechat: [3, 2], whatsapp: [4, 2] });
      expect(pick(m.byLocale, 'locale')).to.deep.equal({ en: [5, 2], 'zh-CN': [2, 1], 'zh-HK': [2, 2], 'zh-TW': [1, 0] });
      expect(pick(m.byPack, 'pack')).to.deep.equal({ billing: [2, 1], core: [1, 0], hr: [2, 1], none: [2, 1], telecom: [3, 2] });
      expect(m.byDay.map((d) => [d.day, d.conversations, d.handedOff])).to.deep.equal([
        ['2025-03-03', 2, 0],
        ['2025-03-04', 2, 2],
        ['2025-03-05', 1, 0],
        ['2025-03-06', 1, 1],
        ['2025-03-07', 1, 1],
        ['2025-03-08', 1, 0],
        ['2025-03-09', 2, 1],
      ]);
    });

    it('counts which understood question followed which within a conversation, in the database', async () => {
      const template = weekEvents().find((e) => e.kind === 'turn')!;
      const at0 = WEEK_START + 2 * DAY;
      const turn = (conversation: string, minute: number, intent: string | null, outOfScope = false) => ({
        ...template, id: `${conversation}-${minute}`, conversation, at: at0 + minute * 60_000, intent, outOfScope,
      });
      await store.write([
        // Conversation x: small talk, a miss and a repeat do not break or make a transition.
        turn('x', 0, 'shop.order'), turn('x', 2, 'core.greeting'), turn('x', 3, 'shop.refund'), turn('x', 5, null, true),
        turn('x', 6, 'shop.refund'), turn('x', 8, 'shop.delivery'),
        // Conversation y interleaves with x in time.
        turn('y', 1, 'shop.order'), turn('y', 4, 'shop.refund'),
        // Outside the range.
        turn('y', 60 * 24 * 5, 'shop.delivery'),
      ]);
      const transitions = await store.intentTransitions({ since: at0, until: at0 + DAY });
      const sorted = transitions.filter((t) => t.from.startsWith('shop.')).sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
      expect(sorted).to.deep.equal([
        { from: 'shop.order', to: 'shop.refund', count: 2 },
        { from: 'shop.refund', to: 'shop.delivery', count: 1 },
      ]);
    });

    it('filters by pack, channel and language with the same definitions', async () => {
      const telecom = await queries.metrics({ ...WEEK, pack: 'telecom' });
      expect(telecom.summary.conversations).to.equal(3);
      expect(telecom.summary.containmentRate).to.be.closeTo(1 / 3, 1e-12);
      expect(telecom.summary.fallbackRate).to.equal(0.4);
      expect(telecom.summary.csatAverage).to.equal(5);
      const whatsapp = await queries.metrics({ ...WEEK, channel: 'whatsapp' });
      expect(whatsapp.summary.conversations).to.equal(4);
      expect(whatsapp.summary.fallbackRate).to.equal(0.5);
      expect(whatsapp.summary.csatAverage).to.equal(3.5);
      const cantonese = await queries.metrics({ ...WEEK, locale: 'zh-HK' });
      expect(cantonese.summary.handoffRate).to.equal(1);
      expect(cantonese.waitMs).to.deep.equal({ count: 2, avg: 105_000, p90: 120_000 });
      const firstDay = await queries.metrics({ since: WEEK_START, until: WEEK_START + DAY });
      expect(firstDay.summary.conversations).to.equal(2);
      expect(firstDay.summary.fallbackRate).to.equal(2 / 5);
    });

    it('exports and deletes one user, and purges old texts', async () => {
      const exported = await store.exportUser(testKeys.user('u1'));
      expect(exported.turns).to.have.length(4);
      expect(exported.handoffs.map((h) => h.type)).to.deep.equal(['queued', 'accepted', 'resolved']);
      expect(exported.csat.map((c) => c.score)).to.deep.equal([5]);
      expect(await store.deleteUser(testKeys.user('u1'))).to.equal(4 + 3 + 1);
      expect((await store.exportUser(testKeys.user('u1'))).turns).to.have.length(0);
      expect((await queries.metrics(WEEK)).summary.conversations).to.equal(8);
      await store.purgeTexts(WEEK_START + 3 * DAY);
      const turns = await store.turns(WEEK);
      expect(turns.filter((t) => t.at < WEEK_START + 3 * DAY).every((t) => t.text === '')).to.equal(true);
      expect(turns.filter((t) => t.at >= WEEK_START + 3 * DAY).every((t) => t.text !== '')).to.equal(true);
      const csat = await store.csat(WEEK);
      expect(csat.find((c) => c.score === 2)!.comment).to.equal(null);
    });

    it('keeps the review screen\'s audit log, newest first; retention blanks only old dismissed texts', async () => {
      const entry = (id: string, at: number, action: TeachLogEntry['action'], text: string): TeachLogEntry => ({
        id, at, actor: 'admin@127.0.0.1', action, pack: action === 'dismiss' ? null : 'bank', intent: action === 'dismiss' ? null : 'bank.lost_card', text, detail: { version: 2, before: { accuracy: 0.9 } },
      });
      await store.recordTeaching([entry('a', WEEK_START + DAY, 'example', 'atm ate my card'), entry('b', WEEK_START + DAY, 'dismiss', 'asdf'), entry('c', WEEK_START + 5 * DAY, 'dismiss', 'qwerty')]);
      await store.recordTeaching([entry('a', WEEK_START + DAY, 'example', 'written twice')]);
      const log = await store.teachingLog(10);
      expect(log.map((e) => e.id)).to.deep.equal(['c', 'a', 'b']);
      expect(log[1]).to.deep.equal(entry('a', WEEK_START + DAY, 'example', 'atm ate my card'));
      expect(await store.teachingLog(1)).to.have.length(1);
      await store.purgeTexts(WEEK_START + 3 * DAY);
      expect((await store.teachingLog(10)).map((e) => e.text)).to.deep.equal(['qwerty', 'atm ate my card', null]);
    });
  });
}
