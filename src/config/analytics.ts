import { z } from 'zod';
import { booleanFlag, defineConfigSection, nonNegativeInt, optionalString, positiveInt } from './section.js';

/** Settings of analytics: the event store, redaction, retention, hot topics. */
export interface AnalyticsSettings {
  readonly enabled: boolean;
  /** PostgreSQL connection string; unset = the embedded SQLite file. */
  readonly databaseUrl: string | undefined;
  /** PostgreSQL schema the tables live in. */
  readonly databaseSchema: string;
  /** SQLite file; unset = `.data/analytics.sqlite` (an in-memory database when NODE_ENV=test). */
  readonly sqliteFile: string | undefined;
  /** Transcript lines and message texts older than this are deleted (0 = keep forever). */
  readonly retentionDays: number;
  /** Events written per database round trip. */
  readonly batchSize: number;
  /** How often buffered events are written. */
  readonly flushMs: number;
  /** Events kept in memory while the store is down; beyond it the oldest are dropped and counted. */
  readonly bufferLimit: number;
  /** Longest wait between retries while the store is down. */
  readonly retryMaxMs: number;
  /** Key of the HMAC that hashes user and conversation ids; unset = a per-installation file (see hash-secret.ts). */
  readonly hashSecret: string | undefined;
}

export const analyticsConfigSection = defineConfigSection(
  {
    ANALYTICS_ENABLED: booleanFlag.default(true),
    DATABASE_URL: optionalString.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional()),
    ANALYTICS_DB_SCHEMA: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a schema name (letters, digits, "_")').default('public'),
    ANALYTICS_SQLITE_FILE: optionalString,
    ANALYTICS_RETENTION_DAYS: nonNegativeInt.default(90),
    ANALYTICS_BATCH_SIZE: positiveInt.default(500),
    ANALYTICS_FLUSH_MS: positiveInt.default(1000),
    ANALYTICS_BUFFER_LIMIT: positiveInt.default(100_000),
    ANALYTICS_RETRY_MAX_MS: positiveInt.default(30_000),
    ANALYTICS_HASH_SECRET: optionalString.pipe(z.string().min(32, 'expected at least 32 characters').optional()),
  },
  (e): AnalyticsSettings => ({
    enabled: e.ANALYTICS_ENABLED,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.ANALYTICS_DB_SCHEMA,
    sqliteFile: e.ANALYTICS_SQLITE_FILE,
    retentionDays: e.ANALYTICS_RETENTION_DAYS,
    batchSize: e.ANALYTICS_BATCH_SIZE,
    flushMs: e.ANALYTICS_FLUSH_MS,
    bufferLimit: e.ANALYTICS_BUFFER_LIMIT,
    retryMaxMs: e.ANALYTICS_RETRY_MAX_MS,
    hashSecret: e.ANALYTICS_HASH_SECRET,
  }),
);
