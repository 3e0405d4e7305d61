import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ActivityTypes,
  BotAdapter,
  ConversationState,
  MemoryStorage,
  TurnContext,
  UserState,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
  type Storage,
} from 'botbuilder';
import express from 'express';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import type { Agent } from '../../src/agent/agent-directory.js';
import { hashPassword } from '../../src/agent/password.js';
import { CarebotDialogs } from '../../dialogs/carebot-dialogs.js';
import { CarebotBot } from '../../src/bot/carebot-bot.js';
import { setTurnContent } from '../../src/bot/turn-content.js';
import { setTurnUnderstanding } from '../../src/bot/turn-understanding.js';
import { ChannelRegistry, type Channel } from '../../src/channels/channel-registry.js';
import { loadConfig, type Locale } from '../../src/config.js';
import { middlewareAt } from '../../src/feature.js';
import { createHandoffFeature, type HandoffFeature, type HandoffFeatureOptions } from '../../src/handoff/handoff-feature.js';
import { createPageI18nRouter } from '../../src/http/page-i18n.js';
import { createI18n } from '../../src/i18n/create-i18n.js';
import type { NluResult } from '../../src/nlu/types.js';
import { projectRoot } from '../../src/project-root.js';
import { RedisStorage } from '../../src/state/redis-storage.js';
import { MemoryUserConversationIndex } from '../../src/state/user-conversations.js';
import { memoryLogger } from '../support/silent-logger.js';
import type { RedisClient } from '../../src/state/create-redis.js';
import { connectCluster, type PrivateRedisCluster } from '../support/redis-cluster.js';
import { deleteKeys, prefixName, uniquePrefix } from '../support/test-redis.js';

type TurnLogic = (context: TurnContext) => Promise<void>;

/** A channel with many customers, each in their own conversation; records what the bot says to each. */
export class CustomersAdapter extends BotAdapter {
  readonly said = new Map<string, string[]>();
  private readonly waiters: { user: string; match: (text: string) => boolean; resolve: () => void }[] = [];
  failSends = false;

  constructor(readonly channelId = 'customers') {
    super();
  }

  reference(user: string, locale: Locale): Partial<ConversationReference> {
    return {
      channelId: this.channelId,
      serviceUrl: 'test://customers',
      conversation: { id: `conv-${user}`, isGroup: false, conversationType: 'personal', name: '' },
      user: { id: user, name: `Customer ${user}` },
      bot: { id: 'carebot', name: 'carebot' },
      locale,
    };
  }

  async say(user: string, text: string, locale: Locale, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Message, text, id: randomUUID(), timestamp: new Date(), locale },
      this.reference(user, locale),
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  /** The customer leaves (endOfConversation: a kiosk's idle reset, a Direct Line client gone). */
  async leave(user: string, locale: Locale, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.EndOfConversation, id: randomUUID(), timestamp: new Date(), locale }, this.reference(user, locale), true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  lines(user: string): string[] {
    return this.said.get(user) ?? [];
  }

  /** Resolves once the bot said something matching to `user` (rejects after `timeoutMs`). */
  waitFor(user: string, match: string | RegExp | ((text: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const test = typeof match === 'function' ? match : (text: string) => (typeof match === 'string' ? text.includes(match) : match.test(text));
    const found = this.lines(user).find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${user} never heard ${String(match)}; heard: ${JSON.stringify(this.lines(user))}`)), timeoutMs);
      this.waiters.push({
        user,
        match: test,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.lines(user).find(test)!);
        },
      });
    });
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    if (this.failSends && context.activity.type !== ActivityTypes.Message) throw new Error('channel is down');
    const user = context.activity.recipient?.id === 'carebot' ? context.activity.from?.id ?? '' : context.activity.recipient?.id ?? context.activity.from?.id ?? '';
    const list = this.said.get(user) ?? [];
    for (const activity of activities) if (activity.type === 'message' && activity.text) list.push(activity.text);
    this.said.set(user, list);
    for (const waiter of [...this.waiters]) {
      if (waiter.user === user && list.some(waiter.match)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    return activities.map(() => ({ id: randomUUID() }));
  }

  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}

  async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

export const PASSWORD = 'correct horse battery staple';

/** An agents-file entry; capacity, role and autoAssign take the file's defaults when left out. */
export type HarnessAgent = Pick<Agent, 'id' | 'name' | 'skills' | 'languages'> &
  Partial<Pick<Agent, 'capacity' | 'role' | 'autoAssign'>> & { oidcSubject?: string; email?: string; /** false: single sign-on only */ password?: false };

/** The agent as the directory gives it (the agents file's defaults filled in). */
export function asAgent({ id, name, skills, languages, ...rest }: HarnessAgent): Agent {
  return { id, name, skills, languages, capacity: rest.capacity ?? 3, role: rest.role ?? 'agent', autoAssign: rest.autoAssign ?? false };
}

export const AGENTS: HarnessAgent[] = [
  { id: 'kit', name: 'Kit', skills: ['general', 'cards'], languages: ['zh-HK', 'en'] },
  { id: 'ann', name: 'Ann', skills: ['general', 'mortgage'], languages: ['en'] },
  { id: 'li', name: 'Li', skills: ['general', 'cards'], languages: ['zh-CN'] },
  { id: 'sam', name: 'Sam', skills: ['general', 'cards'], languages: ['zh-HK'] },
];

export const SKILLS_YAML = `
skills:
  general:
    name: { en: General, zh-HK: 一般查詢 }
  cards:
    name: { en: Cards, zh-HK: 信用卡, zh-CN: 信用卡 }
    fields:
      - id: accountType
        prompt: { en: "Is it a savings or a current account?", zh-HK: "請問係儲蓄定支票戶口？", zh-CN: "请问是储蓄还是支票账户？" }
        pattern: "^(savings|current|儲蓄|支票|储蓄)$"
  mortgage:
    name: { en: Mortgages }
    hours: { timezone: Asia/Hong_Kong, days: [1], open: "09:00", close: "09:01" }
intents:
  bank.lost_card: cards
`;

export interface Harness {
  readonly feature: HandoffFeature;
  readonly bot: CarebotBot;
  readonly customers: CustomersAdapter;
  readonly channels: ChannelRegistry;
  readonly url: string;
  readonly logic: TurnLogic;
  /** A customer's message (the shared dialogs answer what the handoff leaves to them). */
  say(user: string, text: string, locale?: Locale): Promise<void>;
  agent(id: string): Promise<AgentClient>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly redisUrl?: string | undefined;
  /** A Redis Cluster instead of `redisUrl` (REDIS_CLUSTER_NODES). */
  readonly redisCluster?: PrivateRedisCluster | undefined;
  readonly env?: Record<string, string>;
  /** Understanding to put in turn state for a text (stands in for the NLU). */
  readonly understand?: (text: string) => Partial<NluResult> | undefined;
  /** Content intents flagged `handoff: true` (the dialogs answer them, then hand off to their skill). */
  readonly handoffTopics?: readonly string[];
  readonly feature?: HandoffFeatureOptions;
  readonly storage?: Storage;
  readonly extraChannels?: (bot: CarebotBot) => Channel[];
  /** Intent titles per language, as the knowledge packs would give them (the id otherwise). */
  readonly intentTitles?: Readonly<Record<string, Partial<Record<Locale, string>>>>;
  /** The agents file (default AGENTS). */
  readonly agents?: readonly HarnessAgent[];
  /** The skills file (default SKILLS_YAML). */
  readonly skills?: string;
}

export function understanding(partial: Partial<NluResult> & { text?: string }): NluResult {
  return {
    text: '',
    intent: null,
    confidence: 0.9,
    ambiguous: false,
    alternatives: [],
    outOfScope: false,
    language: 'yue',
    mixed: false,
    entities: [],
    sentiment: { score: 0, label: 'neutral', angry: false },
    ...partial,
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'carebot-handoff-'));
  // A cheap cost keeps logins fast in tests; the cost travels in the hash, so production is unaffected.
  const hash = await hashPassword(PASSWORD, { N: 2 ** 12, r: 8, p: 1 });
  const optional = (a: HarnessAgent) => (['capacity', 'role', 'autoAssign', 'oidcSubject', 'email'] as const).filter((key) => a[key] !== undefined).map((key) => `\n    ${key}: ${String(a[key])}`).join('');
  const password = (a: HarnessAgent) => (a.password === false ? '' : `\n    passwordHash: "${hash}"`);
  const agentsYaml = `agents:\n${(options.agents ?? AGENTS).map((a) => `  - id: ${a.id}\n    name: ${a.name}\n    skills: [${a.skills.join(', ')}]\n    languages: [${a.languages.join(', ')}]${optional(a)}${password(a)}`).join('\n')}\n`;
  writeFileSync(join(dir, 'agents.yaml'), agentsYaml);
  writeFileSync(join(dir, 'skills.yaml'), options.skills ?? SKILLS_YAML);
  const keyPrefix = uniquePrefix();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl, REDIS_KEY_PREFIX: prefixName(keyPrefix) } : {}),
    ...(options.redisCluster ? { REDIS_CLUSTER_NODES: options.redisCluster.seeds, REDIS_KEY_PREFIX: prefixName(keyPrefix) } : {}),
    HANDOFF_AGENTS_FILE: join(dir, 'agents.yaml'),
    HANDOFF_SKILLS_FILE: join(dir, 'skills.yaml'),
    HANDOFF_OUTBOUND_BACKOFF_MS: '20',
    HANDOFF_OUTBOUND_ATTEMPTS: '3',
    ...options.env,
  });
  const { logger } = memoryLogger('silent');
  const redis: RedisClient | undefined = options.redisCluster
    ? connectCluster(options.redisCluster)
    : options.redisUrl
      ? new Redis(options.redisUrl, { maxRetriesPerRequest: 1 })
      : undefined;
  const storage = options.storage ?? (redis ? new RedisStorage({ redis, namespace: `${keyPrefix}:state`, ttlMs: 3_600_000 }) : new MemoryStorage());
  const i18n = await createI18n(join(projectRoot(), 'locales'), 'en');
  const bot = new CarebotBot({
    conversationState: new ConversationState(storage),
    userState: new UserState(storage),
    i18n,
    logger,
    defaultLocale: 'en',
    detectLocale: () => undefined,
  });
  const topics = new Set(options.handoffTopics ?? []);
  bot.late.use({
    async onTurn(context, next) {
      const found = context.activity.type === 'message' ? options.understand?.(context.activity.text ?? '') : undefined;
      if (found) setTurnUnderstanding(context, understanding({ text: context.activity.text ?? '', ...found }));
      // No packs: the dialogs know only the handoff topics (answered, then handed off); the rest they ask to rephrase.
      const intent = (id: string) => (topics.has(id) ? { id, pack: 'test', titles: {}, slots: [], related: [], handoff: true, skill: undefined, reasoner: undefined, priority: 0, policy: {} } : undefined);
      const resolve = ({ intent: id }: { intent: string }) => ({ kind: 'answer', intent: id, answerId: `${id}#test`, text: `(the answer to ${id})`, related: [], handoff: true });
      const knowledge = { intent, resolve, topIntents: () => [], packs: [], title: (id: string) => id };
      setTurnContent(context, { knowledge, nlu: { oosThreshold: 0 } } as never);
      await next();
    },
  });
  const customers = bot.attachTo(new CustomersAdapter());
  const channels = new ChannelRegistry();
  channels.register({ id: customers.channelId, adapter: customers, status: () => ({ channelId: customers.channelId, state: 'connected', sendFailures: 0, required: true }) });
  for (const channel of options.extraChannels?.(bot) ?? []) channels.register(channel);
  // No packs: the skills file's intent mapping has nothing to be checked against.
  const title = (id: string, locale: Locale) => options.intentTitles?.[id]?.[locale] ?? id;
  const content = { current: () => ({ knowledge: { packs: [], intents: [], title } }) as never };
  const feature = await createHandoffFeature({ config, logger, bot, i18n, channels, redis, rootDir: projectRoot(), content, conversations: new MemoryUserConversationIndex({ ttlMs: 3_600_000 }) }, options.feature);
  if (!feature) throw new Error('handoff feature is off');
  for (const middleware of middlewareAt('beforeDialogs', [feature])) bot.late.use(middleware);
  // The shared dialogs: they ask pre-screening and the survey after an agent's chat.
  bot.setMessageHandler(
    new CarebotDialogs(bot.conversationState, {
      i18n,
      logger,
      profile: bot.profile,
      conversationData: bot.conversationState.createProperty('dialogs'),
      handoff: feature.handoff,
      // Handoff tests say things the dialogs do not understand: only the handoff may offer a person.
      fallbacksBeforeHandoffOffer: Number.POSITIVE_INFINITY,
      defaultLocale: 'en',
    }),
  );
  const app = express();
  app.use(createPageI18nRouter());
  for (const router of feature.routers ?? []) app.use(router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  feature.attachToServer?.(server);
  await feature.start?.();
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const logic: TurnLogic = (context) => bot.run(context);
  const clients: AgentClient[] = [];
  return {
    feature,
    bot,
    customers,
    channels,
    url,
    logic,
    say: (user, text, locale = 'zh-HK') => customers.say(user, text, locale, logic),
    async agent(id) {
      const client = await AgentClient.login(url, id);
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.disconnect();
      server.closeAllConnections();
      // A request still arriving (an agent's last poll) must not keep the test waiting for ever.
      await Promise.race([
        new Promise<void>((resolve) => server.close(() => resolve())),
        new Promise<void>((resolve) => setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, 3_000).unref()),
      ]);
      await feature.close?.();
      if (redis) {
        const client = redis;
        const cleaned = await Promise.race([
          deleteKeys(client, keyPrefix).then(() => client.quit()).then(() => true),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), 5_000).unref()),
        ]);
        if (!cleaned) client.disconnect();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An agent using the REST + WebSocket API. */
export class AgentClient {
  readonly events: Record<string, unknown>[] = [];
  private ws: WebSocket | undefined;

  private constructor(
    readonly url: string,
    readonly id: string,
    readonly token: string,
  ) {}

  static async login(url: string, id: string, password = PASSWORD): Promise<AgentClient> {
    const res = await fetch(`${url}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId: id, password }) });
    if (res.status !== 200) throw new Error(`login ${id}: ${res.status} ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    return new AgentClient(url, id, token);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the API under test
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  next() {
    return this.call('POST', '/api/agent/handoffs/next');
  }

  get(id: string) {
    return this.call('GET', `/api/agent/handoffs/${id}`);
  }

  send(id: string, text: string) {
    return this.call('POST', `/api/agent/handoffs/${id}/messages`, { text });
  }

  async connect(): Promise<void> {
    const ws = new WebSocket(`${this.url.replace('http', 'ws')}/api/agent/stream?token=${encodeURIComponent(this.token)}`);
    ws.on('message', (data) => this.events.push(JSON.parse(String(data)) as Record<string, unknown>));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.ws = ws;
  }

  async waitForEvent(match: (event: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`${this.id} never got the event; got ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  disconnect(): void {
    this.ws?.terminate();
    this.ws = undefined;
  }
}

/** Polls `check` until it returns a value (rejects after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition never became true');
    await new Promise((r) => setTimeout(r, 20));
  }
}
