import { z } from 'zod';
import { booleanFlag, defineConfigSection, nonNegativeInt, optionalString, positiveInt } from './section.js';

/** Settings of the human handoff feature (queues, triggers, agent API). */
export interface HandoffSettings {
  readonly enabled: boolean;
  /** YAML file with the agents (id, name, skills, languages, scrypt password hash); without it nobody can log in. */
  readonly agentsFile: string | undefined;
  /** YAML file with the skills (required pre-screening fields, working hours, intent mapping); default: one always-open `general` skill. */
  readonly skillsFile: string | undefined;
  /** YAML file of canned responses per skill and language for the agent console; none when unset. */
  readonly cannedResponsesFile: string | undefined;
  /** How long a returning customer's last agent is offered the handoff before it falls to the skill queue. */
  readonly affinityMs: number;
  /** An agent session that shows no sign of life for this long loses its handoffs back to the queue. */
  readonly leaseMs: number;
  /** How often a waiting customer hears their position and estimated wait. */
  readonly positionIntervalMs: number;
  /** Negative turns in a row that trigger a handoff (0 = off). */
  readonly negativeTurns: number;
  /** Sentiment score at or below which one message alone triggers a handoff (angry messages always do). */
  readonly strongNegativeScore: number;
  /** Turns kept in the handoff transcript. */
  readonly transcriptTurns: number;
  /** Customer segments whose handoffs jump ahead in the queue. */
  readonly prioritySegments: readonly string[];
  readonly tokenTtlSeconds: number;
  /** Single sign-on for agents (OpenID Connect); off unless issuer, client id and redirect URL are set. */
  readonly oidc: { readonly issuer: string; readonly clientId: string; readonly clientSecret: string | undefined; readonly redirectUrl: string } | undefined;
  /** Signs agent tokens; share it between processes. Unset = a random key per process. */
  readonly tokenSecret: string | undefined;
  /** Delivery attempts of an agent message before it is reported failed. */
  readonly outboundAttempts: number;
  /** First retry delay; doubles each attempt. */
  readonly outboundBackoffMs: number;
  /** A callback booked outside working hours is listed for agents this long, then forgotten. */
  readonly callbackTtlSeconds: number;
  /** Handoff records, their messages and delivery notes (Redis) are deleted this long after their last change. */
  readonly recordTtlSeconds: number;
}

export const handoffConfigSection = defineConfigSection(
  {
    HANDOFF_ENABLED: booleanFlag.default(true),
    HANDOFF_AGENTS_FILE: optionalString,
    HANDOFF_SKILLS_FILE: optionalString,
    HANDOFF_CANNED_RESPONSES_FILE: optionalString,
    HANDOFF_AFFINITY_MS: nonNegativeInt.default(60_000),
    HANDOFF_LEASE_MS: positiveInt.default(30_000),
    HANDOFF_POSITION_INTERVAL_MS: positiveInt.default(60_000),
    HANDOFF_NEGATIVE_TURNS: nonNegativeInt.default(2),
    HANDOFF_STRONG_NEGATIVE_SCORE: z.coerce.number({ message: 'expected a number' }).min(-1).max(0, 'expected -1 to 0').default(-0.7),
    HANDOFF_TRANSCRIPT_TURNS: positiveInt.default(20),
    HANDOFF_PRIORITY_SEGMENTS: z.string().default('vip'),
    HANDOFF_TOKEN_TTL_SECONDS: positiveInt.default(8 * 60 * 60),
    HANDOFF_OIDC_ISSUER: optionalString.pipe(z.url({ message: 'expected the issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0' }).optional()),
    HANDOFF_OIDC_CLIENT_ID: optionalString,
    HANDOFF_OIDC_CLIENT_SECRET: optionalString,
    HANDOFF_OIDC_REDIRECT_URL: optionalString.pipe(z.url({ message: 'expected https://<host>/api/agent/oidc/callback' }).optional()),
    HANDOFF_TOKEN_SECRET: optionalString.pipe(z.string().min(32, 'expected at least 32 characters').optional()),
    HANDOFF_OUTBOUND_ATTEMPTS: positiveInt.default(5),
    HANDOFF_OUTBOUND_BACKOFF_MS: positiveInt.default(1000),
    HANDOFF_CALLBACK_TTL_DAYS: positiveInt.default(7),
    HANDOFF_RECORD_TTL_SECONDS: positiveInt.default(24 * 60 * 60),
  },
  (e): HandoffSettings => ({
    enabled: e.HANDOFF_ENABLED,
    agentsFile: e.HANDOFF_AGENTS_FILE,
    skillsFile: e.HANDOFF_SKILLS_FILE,
    cannedResponsesFile: e.HANDOFF_CANNED_RESPONSES_FILE,
    affinityMs: e.HANDOFF_AFFINITY_MS,
    leaseMs: e.HANDOFF_LEASE_MS,
    positionIntervalMs: e.HANDOFF_POSITION_INTERVAL_MS,
    negativeTurns: e.HANDOFF_NEGATIVE_TURNS,
    strongNegativeScore: e.HANDOFF_STRONG_NEGATIVE_SCORE,
    transcriptTurns: e.HANDOFF_TRANSCRIPT_TURNS,
    prioritySegments: e.HANDOFF_PRIORITY_SEGMENTS.split(',').map((s) => s.trim()).filter(Boolean),
    tokenTtlSeconds: e.HANDOFF_TOKEN_TTL_SECONDS,
    tokenSecret: e.HANDOFF_TOKEN_SECRET,
    oidc:
      e.HANDOFF_OIDC_ISSUER && e.HANDOFF_OIDC_CLIENT_ID && e.HANDOFF_OIDC_REDIRECT_URL
        ? { issuer: e.HANDOFF_OIDC_ISSUER, clientId: e.HANDOFF_OIDC_CLIENT_ID, clientSecret: e.HANDOFF_OIDC_CLIENT_SECRET, redirectUrl: e.HANDOFF_OIDC_REDIRECT_URL }
        : undefined,
    outboundAttempts: e.HANDOFF_OUTBOUND_ATTEMPTS,
    outboundBackoffMs: e.HANDOFF_OUTBOUND_BACKOFF_MS,
    callbackTtlSeconds: e.HANDOFF_CALLBACK_TTL_DAYS * 24 * 60 * 60,
    recordTtlSeconds: e.HANDOFF_RECORD_TTL_SECONDS,
  }),
);
