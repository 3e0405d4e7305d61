import { z } from 'zod';
import { ConfigError } from './errors.js';
import type { RedisConnection } from './state/create-redis.js';
import { hashTaggedPrefix } from './state/redis-keys.js';
import { analyticsConfigSection } from './config/analytics.js';
import { handoffConfigSection } from './config/handoff.js';
import { kioskConfigSection } from './config/kiosk.js';
import { knowledgeConfigSection } from './config/knowledge.js';
import { nluConfigSection } from './config/nlu.js';
import { securityConfigSection } from './config/security.js';
import { booleanFlag, nonNegativeInt, optionalString, positiveInt } from './config/section.js';
import { teamsConfigSection } from './config/teams.js';
import { wechatConfigSection } from './config/wechat.js';
import { wechatOfficialConfigSection } from './config/wechat-official.js';
import { wecomConfigSection } from './config/wecom.js';
import { whatsappConfigSection } from './config/whatsapp.js';
import { whatsappCloudConfigSection } from './config/whatsapp-cloud.js';

export const SUPPORTED_LOCALES = ['en', 'zh-CN', 'zh-TW', 'zh-HK'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

/**
 * Default of MAX_INBOUND_TEXT_CHARS. A customer question is a sentence or two; 2,000
 * characters holds a long complaint with an order history pasted in, and every step that reads
 * the text (language id, NLU, entities, redaction) stays within a few milliseconds at this size.
 */
export const DEFAULT_MAX_INBOUND_TEXT_CHARS = 2000;

/** Each feature's settings live in its own file under src/config/; they all merge here. */
const SECTIONS = {
  nlu: nluConfigSection,
  knowledge: knowledgeConfigSection,
  handoff: handoffConfigSection,
  wechat: wechatConfigSection,
  wechatOfficial: wechatOfficialConfigSection,
  wecom: wecomConfigSection,
  whatsapp: whatsappConfigSection,
  whatsappCloud: whatsappCloudConfigSection,
  teams: teamsConfigSection,
  kiosk: kioskConfigSection,
  analytics: analyticsConfigSection,
  security: securityConfigSection,
} as const;

type SectionSettings = { readonly [Name in keyof typeof SECTIONS]: Readonly<ReturnType<(typeof SECTIONS)[Name]['build']>> };

/**
 * Every setting carebot reads, keyed by its environment variable. Defaults are the embedded
 * setup `npm start` runs with: no Redis, no database.
 * Keep README.md's configuration table and .env.example in step (test/config.test.ts checks both).
 */
const coreShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535, 'expected a port number 0-65535').default(3978),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: optionalString.pipe(z.url({ message: 'expected an absolute URL such as https://bot.example.com' }).optional()),
  REDIS_URL: optionalString.pipe(
    z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL').optional(),
  ),
  REDIS_CLUSTER_NODES: optionalString.pipe(
    z
      .string()
      .regex(/^\s*[^\s:,]+:\d{1,5}\s*(,\s*[^\s:,]+:\d{1,5}\s*)*$/, 'expected comma-separated host:port seeds such as "10.0.0.1:7000,10.0.0.2:7000"')
      .optional(),
  ),
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected one or more letters, digits, "_", "." or "-"').default('carebot'),
  CONVERSATION_TTL_SECONDS: positiveInt.default(24 * 60 * 60),
  USER_STATE_TTL_SECONDS: nonNegativeInt.default(365 * 24 * 60 * 60),
  BODY_LIMIT_BYTES: positiveInt.default(256 * 1024),
  MAX_INBOUND_TEXT_CHARS: positiveInt.max(100_000, 'expected at most 100000').default(DEFAULT_MAX_INBOUND_TEXT_CHARS),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  DEFAULT_LOCALE: z.enum(SUPPORTED_LOCALES, { message: `expected one of ${SUPPORTED_LOCALES.join(', ')}` }).default('en'),
  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TENANT_ID: optionalString,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  ALLOW_UNAUTHENTICATED_BOT_FRAMEWORK: booleanFlag.optional(),
  ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'expected at least 16 characters').optional()),
};

const environmentSchema = z.object({
  ...coreShape,
  ...SECTIONS.nlu.shape,
  ...SECTIONS.knowledge.shape,
  ...SECTIONS.handoff.shape,
  ...SECTIONS.wechat.shape,
  ...SECTIONS.wechatOfficial.shape,
  ...SECTIONS.wecom.shape,
  ...SECTIONS.whatsapp.shape,
  ...SECTIONS.whatsappCloud.shape,
  ...SECTIONS.teams.shape,
  ...SECTIONS.kiosk.shape,
  ...SECTIONS.analytics.shape,
  ...SECTIONS.security.shape,
});

export type EnvironmentVariable = keyof z.input<typeof environmentSchema>;
export const ENVIRONMENT_VARIABLES = Object.keys(environmentSchema.shape) as EnvironmentVariable[];

export interface Config extends SectionSettings {
  readonly env: 'development' | 'production' | 'test';
  readonly http: { readonly host: string; readonly port: number; readonly bodyLimitBytes: number; readonly publicUrl: string | undefined };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `keyPrefix` is the hash-tagged prefix of every key (`{carebot}`): see src/state/redis-keys.ts. */
  readonly redis: { readonly connection: RedisConnection; readonly keyPrefix: string } | undefined;
  readonly state: { readonly conversationTtlSeconds: number; readonly userTtlSeconds: number };
  readonly shutdownTimeoutMs: number;
  /** Longest message text any channel hands the bot core; longer texts are truncated (and told). */
  readonly maxInboundTextChars: number;
  readonly defaultLocale: Locale;
  /** Bearer token for /admin routes; without it the admin routes answer 503. */
  readonly adminToken: string | undefined;
  readonly botFramework: {
    readonly appId: string | undefined;
    readonly appPassword: string | undefined;
    readonly tenantId: string | undefined;
    readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    /** Unauthenticated requests are accepted (Bot Framework Emulator) only when no app id is configured. */
    readonly allowUnauthenticated: boolean;
    /** False when there is neither an app id nor permission to run unauthenticated: /api/messages answers 503. */
    readonly enabled: boolean;
  };
}

function redisSettings(url: string | undefined, clusterNodes: string | undefined, prefix: string): Config['redis'] {
  const keyPrefix = hashTaggedPrefix(prefix);
  if (url) return { connection: { url }, keyPrefix };
  if (!clusterNodes) return undefined;
  const seeds = clusterNodes.split(',').map((seed) => {
    const [host = '', port = ''] = seed.trim().split(':');
    return { host, port: Number(port) };
  });
  return { connection: { clusterNodes: seeds }, keyPrefix };
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Parses the environment once; an unusable value stops startup with every problem named. */
export function loadConfig(env: Environment): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      const value = env[variable];
      return `  ${variable}=${value === undefined ? '(unset)' : JSON.stringify(value)}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  if (e.MICROSOFT_APP_ID && !e.MICROSOFT_APP_PASSWORD && e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    throw new ConfigError('Invalid configuration:\n  MICROSOFT_APP_PASSWORD=(unset): required when MICROSOFT_APP_ID is set');
  }
  if (e.MICROSOFT_APP_TYPE === 'SingleTenant' && e.MICROSOFT_APP_ID && !e.MICROSOFT_APP_TENANT_ID) {
    throw new ConfigError('Invalid configuration:\n  MICROSOFT_APP_TENANT_ID=(unset): required when MICROSOFT_APP_TYPE=SingleTenant');
  }
  if (e.NODE_ENV === 'production' && e.ANALYTICS_ENABLED && e.DATABASE_URL && !e.ANALYTICS_HASH_SECRET) {
    // Every process sharing the database must hash ids with the same key, and a key made up per
    // machine would silently split one user into several: production names it.
    throw new ConfigError('Invalid configuration:\n  ANALYTICS_HASH_SECRET=(unset): required in production with DATABASE_URL (at least 32 characters, shared by every process)');
  }
  if (e.REDIS_URL && e.REDIS_CLUSTER_NODES) {
    throw new ConfigError('Invalid configuration:\n  REDIS_CLUSTER_NODES: set either REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a Redis Cluster), not both');
  }
  if ((e.REDIS_URL || e.REDIS_CLUSTER_NODES) && e.KIOSK_DEVICES_FILE && !e.KIOSK_TOKEN_SECRET) {
    // With Redis any process may get any kiosk request: a key made up per process would answer
    // most requests 401 at random behind a load balancer, which looks like a flaky network.
    throw new ConfigError('Invalid configuration:\n  KIOSK_TOKEN_SECRET=(unset): required with REDIS_URL or REDIS_CLUSTER_NODES and KIOSK_DEVICES_FILE (at least 32 characters, shared by every process, so any process verifies the tokens another issued)');
  }
  const allowUnauthenticated = e.ALLOW_UNAUTHENTICATED_BOT_FRAMEWORK ?? e.NODE_ENV !== 'production';
  if (!e.MICROSOFT_APP_ID && e.NODE_ENV === 'production' && allowUnauthenticated) {
    throw new ConfigError(
      'Invalid configuration:\n  ALLOW_UNAUTHENTICATED_BOT_FRAMEWORK="true": production refuses unauthenticated Bot Framework traffic; set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD instead',
    );
  }
  return deepFreeze({
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT, bodyLimitBytes: e.BODY_LIMIT_BYTES, publicUrl: e.PUBLIC_URL },
    logLevel: e.LOG_LEVEL,
    redis: redisSettings(e.REDIS_URL, e.REDIS_CLUSTER_NODES, e.REDIS_KEY_PREFIX),
    state: { conversationTtlSeconds: e.CONVERSATION_TTL_SECONDS, userTtlSeconds: e.USER_STATE_TTL_SECONDS },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    maxInboundTextChars: e.MAX_INBOUND_TEXT_CHARS,
    defaultLocale: e.DEFAULT_LOCALE,
    adminToken: e.ADMIN_TOKEN,
    nlu: SECTIONS.nlu.build(e),
    knowledge: SECTIONS.knowledge.build(e),
    handoff: SECTIONS.handoff.build(e),
    wechat: SECTIONS.wechat.build(e),
    wechatOfficial: SECTIONS.wechatOfficial.build(e),
    wecom: SECTIONS.wecom.build(e),
    whatsapp: SECTIONS.whatsapp.build(e),
    whatsappCloud: SECTIONS.whatsappCloud.build(e),
    teams: SECTIONS.teams.build(e),
    kiosk: SECTIONS.kiosk.build(e),
    analytics: SECTIONS.analytics.build(e),
    security: SECTIONS.security.build(e),
    botFramework: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
      allowUnauthenticated: !e.MICROSOFT_APP_ID && allowUnauthenticated,
      enabled: Boolean(e.MICROSOFT_APP_ID) || allowUnauthenticated,
    },
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
