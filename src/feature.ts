import type { Server } from 'node:http';
import type { Middleware } from 'botbuilder';
import type { RequestHandler } from 'express';
import type { RedisClient } from './state/create-redis.js';
import type { HandoffRequester } from './bot/handoff-requester.js';
import type { ContentSource } from './bot/turn-content.js';
import type { CarebotBot } from './bot/carebot-bot.js';
import type { Channel, ChannelRegistry } from './channels/channel-registry.js';
import type { DeliveryReceipts } from './channels/delivery-receipts.js';
import type { Config } from './config.js';
import { LoginGuard } from './http/login-guard.js';
import type { ReadinessCheck } from './http/readiness.js';
import type { I18n } from './i18n/create-i18n.js';
import type { Logger, LogPseudonym } from './logger.js';
import type { UserConversationIndex } from './state/user-conversations.js';

/** What the composition root hands every feature it builds. */
export interface FeatureDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly bot: CarebotBot;
  readonly i18n: I18n;
  readonly channels: ChannelRegistry;
  /** The shared producer connection; undefined on embedded defaults. Workers open their own. */
  readonly redis: RedisClient | undefined;
  readonly rootDir: string;
  /** The content and NLU snapshot source (knowledge packs), loaded before any feature. */
  readonly content: ContentSource;
  /** Brute-force protection shared by every login and admin check of the process (the composition root sets it). */
  readonly loginGuard?: LoginGuard;
  /** Which conversations each user wrote in (for erasure of what is keyed by conversation). */
  readonly conversations: UserConversationIndex;
  /** Channels with delivery receipts publish here; the handoff feature records them on agent messages. */
  readonly deliveryReceipts?: DeliveryReceipts;
  /** Pseudonyms for chat ids in log lines, keyed with the installation's secret (the composition root sets it). */
  readonly logPseudonym?: LogPseudonym;
}

/** The process's login guard; a feature built without one (embedders, tests) gets its own. */
export function loginGuardOf(deps: Pick<FeatureDeps, 'config' | 'logger' | 'redis' | 'loginGuard'>): LoginGuard {
  return deps.loginGuard ?? LoginGuard.create(deps.config.security.login, deps.redis, deps.config.redis?.keyPrefix ?? 'carebot', deps.logger);
}

/** What an erasure removed from one feature's stores: a count per kind of record. */
export type ErasureCounts = Readonly<Record<string, number>>;

/**
 * Where a feature's middleware sits in the turn pipeline. The composition root installs them in
 * this order around its own: `aroundUnderstanding` first (it wraps the reply-language,
 * understanding and identity middleware and the dialogs, so it sees what they understood and
 * sent), then carebot's understanding, then `beforeDialogs` (acts on what was understood).
 */
export const PIPELINE_STAGES = ['aroundUnderstanding', 'beforeDialogs'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export interface FeatureMiddleware {
  readonly stage: PipelineStage;
  readonly middleware: Middleware;
}

/** The features' middleware of one stage, in feature order. */
export function middlewareAt(stage: PipelineStage, features: readonly Pick<CarebotFeature, 'middleware'>[]): Middleware[] {
  return features.flatMap((feature) => (feature.middleware ?? []).filter((entry) => entry.stage === stage).map((entry) => entry.middleware));
}

/**
 * A part of carebot the composition root plugs in (a channel, the handoff service, the agent
 * console...). Everything is optional: a feature contributes only what it has.
 */
export interface CarebotFeature {
  readonly name: string;
  /** Turn middleware, installed by the composition root (a feature never adds to the bot itself). */
  readonly middleware?: readonly FeatureMiddleware[];
  readonly routers?: readonly RequestHandler[];
  readonly readinessChecks?: readonly ReadinessCheck[];
  readonly channels?: readonly Channel[];
  /** The handoff feature offers this to the dialogs (fallback offers, topics that need a person). */
  readonly handoff?: HandoffRequester;
  /**
   * Erasure (DELETE /api/admin/users/:id): forgets everything this feature stores about the
   * channel user `userId` (raw id, as the channel gives it) and says what went.
   */
  eraseUser?(userId: string): Promise<ErasureCounts>;
  /** Called once the HTTP server listens (connect to platforms, start workers). */
  start?(): Promise<void>;
  /** Called once with the listening HTTP server, for WebSocket upgrades. */
  attachToServer?(server: Server): void;
  /**
   * Called on shutdown as soon as the HTTP server stops accepting: ends the long-lived
   * connections (WebSockets) the feature holds, which the server would otherwise wait for.
   */
  detachFromServer?(): Promise<void>;
  /** Called on shutdown after the HTTP server drained, in reverse order of creation. */
  close?(): Promise<void>;
}
