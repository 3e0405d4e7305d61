import { isAbsolute, join } from 'node:path';
import type { Server } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type RequestHandler } from 'express';
import { createBlockingRedis, type RedisClient } from '../state/create-redis.js';
import type { HandoffRequester } from '../bot/handoff-requester.js';
import { loginGuardOf, type CarebotFeature, type FeatureDeps } from '../feature.js';
import { ConfigError } from '../errors.js';
import { requireAdmin } from '../http/admin-auth.js';
import { setContentSecurityPolicy } from '../http/security-headers.js';
import { AgentDirectory } from '../agent/agent-directory.js';
import type { AgentAssist } from '../agent/agent-assist.js';
import { createAgentRouter } from '../agent/agent-router.js';
import { AgentStream } from '../agent/agent-stream.js';
import { AgentTokens } from '../agent/agent-tokens.js';
import { AgentInbox } from '../agent/agent-inbox.js';
import { AgentOidc } from '../agent/agent-oidc.js';
import { MemoryAgentStatusStore, RedisAgentStatusStore } from '../agent/agent-status.js';
import { CannedResponses } from '../agent/canned-responses.js';
import type { HandoffViewDeps } from '../agent/handoff-view.js';
import { createSupervisorRouter } from '../agent/supervisor-router.js';
import { MemoryCallbackStore, type CallbackStore } from './callbacks/callback-store.js';
import { RedisCallbackStore } from './callbacks/redis-callback-store.js';
import { MemoryCsatStore, type CsatStore } from './csat-store.js';
import { MemoryEventBus, RedisEventBus, type AgentEventBus } from './event-bus.js';
import { conversationKeyOf } from './handoff-keys.js';
import { HandoffService } from './handoff-service.js';
import { BullmqOutboundDelivery } from '../channels/outbound/bullmq-outbound-delivery.js';
import { MemoryOutboundDelivery } from '../channels/outbound/memory-outbound-delivery.js';
import { setOutboundOrigin, type OutboundDelivery, type SendOutbound } from '../channels/outbound/outbound-delivery.js';
import { BullmqHandoffQueue } from './queue/bullmq-handoff-queue.js';
import type { HandoffQueue } from './queue/handoff-queue.js';
import { MemoryHandoffQueue } from './queue/memory-handoff-queue.js';
import { intentMappingProblems, loadSkillCatalog } from './skills.js';
import { MemoryTranscriptStore, RedisTranscriptStore } from './transcript-store.js';
import { RedisKeys } from '../state/redis-keys.js';

export interface HandoffFeature extends CarebotFeature {
  readonly service: HandoffService;
  readonly queue: HandoffQueue;
  readonly outbound: OutboundDelivery;
  readonly agents: AgentDirectory;
  readonly tokens: AgentTokens;
  readonly csat: CsatStore;
  readonly callbacks: CallbackStore;
}

export interface HandoffFeatureOptions {
  /** Knowledge-backed suggestions in the agent console. */
  readonly assist?: AgentAssist;
  readonly csat?: CsatStore;
  readonly now?: () => number;
}

const CLOSE_TIMEOUT_MS = 5_000;

/** `FEATURES` entry: `(deps) => createHandoffFeature(deps)`. */
export async function createHandoffFeature(deps: FeatureDeps, options: HandoffFeatureOptions = {}): Promise<HandoffFeature | undefined> {
  const { config, logger: rootLogger, bot, channels, redis } = deps;
  const settings = config.handoff;
  if (!settings.enabled) return undefined;
  const logger = rootLogger.child({ component: 'handoff' });
  if (!settings.agentsFile) {
    // Queueing customers for agents who do not exist would keep them waiting forever: without an
    // agents file the bot says honestly that it cannot reach a person from here.
    logger.warn('human handoff is off: set HANDOFF_AGENTS_FILE (e.g. config/agents.example.yaml) to enable it');
    return undefined;
  }
  const inRoot = (path: string | undefined) => (path === undefined || isAbsolute(path) ? path : join(deps.rootDir, path));
  const agents = AgentDirectory.load(inRoot(settings.agentsFile));
  const weakHashes = agents.needingRehash();
  if (weakHashes.length > 0) {
    logger.warn({ agents: weakHashes }, 'agent password hashes in the old scrypt format or below today\'s cost: they still log in; regenerate them with `npx tsx src/agent/agent-cli.ts hash-password`');
  }
  const skills = loadSkillCatalog(inRoot(settings.skillsFile));
  const canned = CannedResponses.load(inRoot(settings.cannedResponsesFile), settings.cannedResponsesFile);
  const mappingProblems = intentMappingProblems(skills, deps.content.current().knowledge, settings.skillsFile);
  if (mappingProblems.length > 0) throw new ConfigError(mappingProblems.join('; '));
  const keyPrefix = config.redis?.keyPrefix ?? 'carebot';
  const opened: RedisClient[] = [];
  const workerConnection = () => {
    const connection = createBlockingRedis(config.redis!.connection, logger, 'handoff worker');
    opened.push(connection);
    return connection;
  };

  const send: SendOutbound = async (message) => {
    // The adapter's onTurnError would swallow a failed send; keep the error so the job retries.
    let failure: unknown;
    await channels.continueConversation(message.reference, async (context) => {
      setOutboundOrigin(context, message.origin);
      try {
        await context.sendActivities(message.activities.map((activity) => ({ ...activity })));
      } catch (error) {
        failure = error ?? new Error('send failed');
      }
    });
    if (failure) throw failure;
  };
  const outboundOptions = { attempts: settings.outboundAttempts, backoffMs: settings.outboundBackoffMs };
  const activityChannelIds = () => channels.list().flatMap((channel) => [channel.id, ...(channel.channelIds ?? [])]);

  let queue: HandoffQueue;
  let outbound: OutboundDelivery;
  let bus: AgentEventBus;
  let throttle: ((key: string, ms: number) => Promise<boolean>) | undefined;
  if (redis) {
    queue = new BullmqHandoffQueue({ redis, createWorkerConnection: workerConnection, keyPrefix, leaseMs: settings.leaseMs, recordTtlSeconds: settings.recordTtlSeconds, logger, ...(options.now ? { now: options.now } : {}) });
    outbound = new BullmqOutboundDelivery(send, { ...outboundOptions, redis, createWorkerConnection: workerConnection, keyPrefix, logger, channelIds: activityChannelIds, logPseudonym: deps.logPseudonym });
    bus = new RedisEventBus(redis, workerConnection(), keyPrefix, logger);
    throttle = async (key, ms) => (await redis.set(new RedisKeys(keyPrefix).handoffThrottle(key), '1', 'PX', ms, 'NX')) === 'OK';
  } else {
    queue = new MemoryHandoffQueue({ leaseMs: settings.leaseMs, recordTtlSeconds: settings.recordTtlSeconds, ...(options.now ? { now: options.now } : {}) });
    outbound = new MemoryOutboundDelivery(send, outboundOptions);
    bus = new MemoryEventBus();
  }
  const transcripts = redis
    ? new RedisTranscriptStore(redis, keyPrefix, settings.transcriptTurns, config.state.conversationTtlSeconds)
    : new MemoryTranscriptStore(settings.transcriptTurns);

  const csat = options.csat ?? new MemoryCsatStore();
  const callbackOptions = { ttlMs: settings.callbackTtlSeconds * 1000, ...(options.now ? { now: options.now } : {}) };
  const callbacks: CallbackStore = redis ? new RedisCallbackStore({ ...callbackOptions, redis, keyPrefix }) : new MemoryCallbackStore(callbackOptions);
  const service = new HandoffService({
    queue,
    outbound,
    bus,
    transcripts,
    csat,
    callbacks,
    skills,
    agents,
    i18n: deps.i18n,
    logger,
    settings,
    conversationState: bot.conversationState,
    profile: bot.profile,
    defaultLocale: config.defaultLocale,
    ...(options.now ? { now: options.now } : {}),
    ...(throttle ? { throttle } : {}),
  });
  deps.deliveryReceipts?.subscribe((receipt) => service.recordReceipt(receipt));

  const tokens = new AgentTokens(settings.tokenSecret, settings.tokenTtlSeconds);
  const loginGuard = loginGuardOf(deps);
  const statuses = redis ? new RedisAgentStatusStore(redis, keyPrefix) : new MemoryAgentStatusStore();
  const inbox = new AgentInbox({ service, agents, statuses, now: options.now });
  const stream = new AgentStream({ service, agents, tokens, inbox, logger, heartbeatMs: Math.max(200, Math.floor(settings.leaseMs / 3)) });
  const views: HandoffViewDeps = {
    service,
    assist: options.assist,
    canned,
    csat,
    titles: (intentId, locale) => deps.content.current().knowledge.title(intentId, locale),
  };
  const assetsDir = join(deps.rootDir, 'src', 'agent');
  const bodyLimitBytes = config.http.bodyLimitBytes;
  const routers = [
    createAgentRouter({ service, agents, tokens, loginGuard, inbox, views, bodyLimitBytes, assetsDir, oidc: settings.oidc ? new AgentOidc(settings.oidc, agents, tokens) : undefined }),
    createSupervisorRouter({ service, agents, tokens, inbox, views, bodyLimitBytes, assetsDir }),
  ];
  if (queue instanceof BullmqHandoffQueue && outbound instanceof BullmqOutboundDelivery) {
    routers.push(await bullBoardRouter(queue, outbound, activityChannelIds, requireAdmin(config.adminToken, loginGuard)));
  }

  const requester: HandoffRequester = {
    async request(context, request) {
      try {
        await service.request(context, request);
        return true;
      } catch (error) {
        logger.error({ err: error }, 'handoff request failed');
        return false;
      }
    },
    pendingDialog: (context) => service.pendingDialog(context),
    completePrescreen: (context, answers) => service.completePrescreen(context, answers),
    cancelPrescreen: (context) => service.cancelPrescreen(context),
    recordSurvey: (context, rates, answer) => service.recordSurvey(context, rates, answer),
    declineSurvey: (context) => service.declineSurvey(context),
  };

  return {
    name: 'handoff',
    service,
    queue,
    outbound,
    agents,
    tokens,
    csat,
    callbacks,
    handoff: requester,
    // Mode switches and the handoff triggers act on what the message was understood to mean.
    middleware: [{ stage: 'beforeDialogs', middleware: service.middleware }],
    routers,
    async eraseUser(userId) {
      let erasedTranscripts = 0;
      for (const { channelId, conversationId } of await deps.conversations.list(userId)) {
        if (await transcripts.erase(conversationKeyOf(channelId, conversationId))) erasedTranscripts += 1;
      }
      const { handoffs, affinity, jobs } = await queue.eraseUser(userId, activityChannelIds());
      return {
        transcripts: erasedTranscripts,
        handoffs,
        affinity,
        queueTickets: jobs,
        outboundMessages: await outbound.eraseUser(userId),
        callbacks: await callbacks.eraseUser(userId),
        csat: await csat.eraseUser(userId),
      };
    },
    readinessChecks: [],
    async start() {
      await outbound.start();
      service.start();
    },
    attachToServer(server: Server) {
      stream.attach(server);
    },
    detachFromServer: () => stream.detach(),
    async close() {
      const closing = (async () => {
        await stream.close();
        await service.close();
        await outbound.close();
        await queue.close();
        await bus.close();
        for (const connection of opened) await connection.quit().catch(() => connection.disconnect());
      })();
      // A blocked worker or a connection stuck mid-reconnect must not hang shutdown: cut them.
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS);
      });
      const outcome = await Promise.race([closing.then(() => 'closed' as const), deadline]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        logger.warn({ timeoutMs: CLOSE_TIMEOUT_MS }, 'handoff did not close in time; disconnecting its Redis connections');
        for (const connection of opened) connection.disconnect();
        closing.catch(() => undefined);
      }
    },
  };
}

async function bullBoardRouter(queue: BullmqHandoffQueue, outbound: BullmqOutboundDelivery, channelIds: () => readonly string[], admin: RequestHandler): Promise<Router> {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/admin/queues');
  const board = createBullBoard({ queues: [], serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'] });
  const refresh = async () => {
    const queues = [...(await queue.bullQueues()), ...channelIds().map((id) => outbound.queue(id))];
    board.replaceQueues(queues.map((q) => new BullMQAdapter(q)));
  };
  const router = Router();
  router.use('/admin/queues', admin, async (_req, res, next) => {
    // bull-board's page has inline style attributes and loads IBM Plex from Google Fonts; admin-only.
    setContentSecurityPolicy(res, {
      'style-src': ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
      'font-src': ["'self'", 'https://fonts.gstatic.com'],
      'base-uri': ["'self'"],
    });
    await refresh().catch(() => undefined);
    next();
  }, serverAdapter.getRouter() as Router);
  return router;
}
