import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { StorageError } from '../../errors.js';
import type { AnalyticsEvent, CsatEvent, HandoffEvent, TimeRange, TranscriptEvent, TurnEvent, UserExport } from '../types.js';
import type { AnalyticsStore, IntentTransition, TeachLogEntry } from './analytics-store.js';
import { storableRow } from './storable-text.js';

interface TurnsTable {
  id: string; at: number; channel: string; conversation: string; user_key: string; locale: string; language: string | null;
  intent: string | null; pack: string | null; confidence: number | null; out_of_scope: number; ambiguous: number; fallback: number;
  sentiment: number | null; sentiment_label: string | null; answer_id: string | null; latency_ms: number | null; mode: string; text: string;
}
interface TranscriptTable { id: string; at: number; conversation: string; user_key: string; channel: string; role: string; text: string }
interface HandoffEventsTable {
  id: string; handoff_id: string; type: string; at: number; conversation: string; user_key: string; channel: string; locale: string;
  reason: string; skill: string; agent_id: string | null; disposition: string | null;
}
interface CsatTable {
  id: string; at: number; handoff_id: string; conversation: string; user_key: string; channel: string; skill: string;
  agent_id: string | null; score: number; comment: string | null;
}
interface TeachLogTable {
  id: string; at: number; actor: string; action: string; pack: string | null; intent: string | null; text: string | null; detail: string;
}
interface Tables {
  analytics_teach_log: TeachLogTable;
  analytics_turns: TurnsTable;
  analytics_transcript: TranscriptTable;
  analytics_handoff_events: HandoffEventsTable;
  analytics_csat: CsatTable;
}

/** Schema changes, in order. Never edit a released one: add the next. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-events': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('analytics_turns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('conversation', 'text', (c) => c.notNull())
        .addColumn('user_key', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('language', 'text')
        .addColumn('intent', 'text')
        .addColumn('pack', 'text')
        .addColumn('confidence', 'double precision')
        .addColumn('out_of_scope', 'integer', (c) => c.notNull())
        .addColumn('ambiguous', 'integer', (c) => c.notNull())
        .addColumn('fallback', 'integer', (c) => c.notNull())
        .addColumn('sentiment', 'double precision')
        .addColumn('sentiment_label', 'text')
        .addColumn('answer_id', 'text')
        .addColumn('latency_ms', 'integer')
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('analytics_turns_at').on('analytics_turns').column('at').execute();
      await db.schema.createIndex('analytics_turns_user').on('analytics_turns').column('user_key').execute();
      await db.schema
        .createTable('analytics_transcript')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('conversation', 'text', (c) => c.notNull())
        .addColumn('user_key', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('analytics_transcript_at').on('analytics_transcript').column('at').execute();
      await db.schema.createIndex('analytics_transcript_user').on('analytics_transcript').column('user_key').execute();
      await db.schema
        .createTable('analytics_handoff_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('handoff_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('conversation', 'text', (c) => c.notNull())
        .addColumn('user_key', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('skill', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text')
        .addColumn('disposition', 'text')
        .execute();
      await db.schema.createIndex('analytics_handoff_events_at').on('analytics_handoff_events').column('at').execute();
      await db.schema.createIndex('analytics_handoff_events_user').on('analytics_handoff_events').column('user_key').execute();
      await db.schema
        .createTable('analytics_csat')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('handoff_id', 'text', (c) => c.notNull())
        .addColumn('conversation', 'text', (c) => c.notNull())
        .addColumn('user_key', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('skill', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text')
        .addColumn('score', 'integer', (c) => c.notNull())
        .addColumn('comment', 'text')
        .execute();
      await db.schema.createIndex('analytics_csat_at').on('analytics_csat').column('at').execute();
      await db.schema.createIndex('analytics_csat_user').on('analytics_csat').column('user_key').execute();
    },
  },
  '0002-teach-log': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('analytics_teach_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('pack', 'text')
        .addColumn('intent', 'text')
        .addColumn('text', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('analytics_teach_log_at').on('analytics_teach_log').column('at').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };
const ROWS_PER_INSERT = 400;

export interface KyselyStoreOptions {
  /** SQLite file path (or `:memory:`). */
  readonly sqliteFile?: string | undefined;
  /** PostgreSQL connection string; wins over `sqliteFile`. */
  readonly databaseUrl?: string | undefined;
  readonly schema?: string | undefined;
  readonly poolSize?: number | undefined;
}

/** The AnalyticsStore for both backends: one query code path, two kysely dialects. */
export class KyselyAnalyticsStore implements AnalyticsStore {
  readonly backend: 'sqlite' | 'postgres';
  private readonly db: Kysely<Tables>;
  /** The SQLite database kysely runs on, for the batch insert (absent on PostgreSQL). */
  private readonly sqlite: Database.Database | undefined;
  private readonly sqliteInserts = new Map<string, Database.Statement>();
  private readonly schema: string | undefined;
  private migrated = false;

  constructor(options: KyselyStoreOptions) {
    if (options.databaseUrl) {
      this.backend = 'postgres';
      this.schema = options.schema && options.schema !== 'public' ? options.schema : undefined;
      const pool = new pg.Pool({
        connectionString: options.databaseUrl,
        max: options.poolSize ?? 4,
        connectionTimeoutMillis: 5000,
        ...(this.schema ? { options: `-c search_path=${this.schema}` } : {}),
      });
      // An idle client losing its connection must not crash the process: the next write retries.
      pool.on('error', () => undefined);
      pool.on('connect', (client) => client.on('error', () => undefined));
      this.db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
    } else {
      this.backend = 'sqlite';
      const database = new Database(options.sqliteFile ?? ':memory:');
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
      this.sqlite = database;
      this.db = new Kysely<Tables>({ dialect: new SqliteDialect({ database }) });
    }
  }

  async migrate(): Promise<void> {
    if (this.migrated) return;
    if (this.schema) await sql`create schema if not exists ${sql.id(this.schema)}`.execute(this.db);
    // Named, not left to the search path: kysely looks for its migration tables in every schema,
    // and one found in another schema would make it skip creating ours, then fail on it.
    const migrationTableSchema = this.backend === 'postgres' ? (this.schema ?? (await this.currentSchema())) : undefined;
    const { error } = await new Migrator({ db: this.db, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) }).migrateToLatest();
    if (error) throw new StorageError('STORAGE_UNAVAILABLE', 'analytics migration failed', { cause: error });
    this.migrated = true;
  }

  /** Where PostgreSQL creates unqualified tables (the first existing schema on the search path). */
  private async currentSchema(): Promise<string> {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(this.db);
    return rows[0]?.schema ?? 'public';
  }

  async write(events: readonly AnalyticsEvent[]): Promise<void> {
    if (!this.migrated) await this.migrate();
    const turns: TurnsTable[] = [];
    const transcript: TranscriptTable[] = [];
    const handoffs: HandoffEventsTable[] = [];
    const csat: CsatTable[] = [];
    for (const event of events) {
      if (event.kind === 'turn') turns.push(storableRow(turnRow(event)));
      else if (event.kind === 'transcript') transcript.push(storableRow({ id: event.id, at: event.at, conversation: event.conversation, user_key: event.user, channel: event.channel, role: event.role, text: event.text }));
      else if (event.kind === 'handoff') handoffs.push(storableRow(handoffRow(event)));
      else csat.push(storableRow(csatRow(event)));
    }
    try {
      await this.insert(turns, transcript, handoffs, csat);
    } catch (error) {
      if (!refusesData(error)) throw error;
      throw new StorageError('ANALYTICS_EVENT_REJECTED', `analytics store refused the events: ${(error as Error).message}`, { cause: error });
    }
  }

  private async insert(turns: TurnsTable[], transcript: TranscriptTable[], handoffs: HandoffEventsTable[], csat: CsatTable[]): Promise<void> {
    if (this.sqlite) {
      await this.insertIntoSqlite(this.sqlite, { analytics_turns: turns, analytics_transcript: transcript, analytics_handoff_events: handoffs, analytics_csat: csat });
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      // Ids are unique per event: a batch retried after an unclear failure is not written twice.
      for (const chunk of chunks(turns)) await trx.insertInto('analytics_turns').values(chunk).onConflict((oc) => oc.column('id').doNothing()).execute();
      for (const chunk of chunks(transcript)) await trx.insertInto('analytics_transcript').values(chunk).onConflict((oc) => oc.column('id').doNothing()).execute();
      for (const chunk of chunks(handoffs)) await trx.insertInto('analytics_handoff_events').values(chunk).onConflict((oc) => oc.column('id').doNothing()).execute();
      for (const chunk of chunks(csat)) await trx.insertInto('analytics_csat').values(chunk).onConflict((oc) => oc.column('id').doNothing()).execute();
    });
  }

  /**
   * The same insert on SQLite as one prepared statement per table, run row by row in one
   * transaction: kysely built (and SQLite compiled) a new multi-row INSERT for every batch.
   * 10,000 events in batches of 500 took 17-25 us of CPU each that way, 14-23 this way (most
   * of what is left is SQLite's own index work). The embedded store writes on the event loop,
   * so that CPU is taken from turns.
   */
  private async insertIntoSqlite(sqlite: Database.Database, tables: { [table: string]: readonly object[] }): Promise<void> {
    // On kysely's single connection: no kysely transaction (an erasure) is open meanwhile.
    await this.db.connection().execute(async () => {
      sqlite.transaction(() => {
        for (const [table, rows] of Object.entries(tables)) {
          if (rows.length === 0) continue;
          // Every row of a table comes from the same row builder: the first one names the columns.
          const columns = Object.keys(rows[0]!);
          const insert = this.sqliteInsert(sqlite, table, columns);
          for (const row of rows as readonly Record<string, unknown>[]) insert.run(columns.map((column) => row[column] ?? null));
        }
      })();
    });
  }

  private sqliteInsert(sqlite: Database.Database, table: string, columns: readonly string[]): Database.Statement {
    const key = `${table}(${columns.join(',')})`;
    let statement = this.sqliteInserts.get(key);
    if (!statement) {
      const quoted = columns.map((column) => `"${column}"`).join(', ');
      // Ids are unique per event: a batch retried after an unclear failure is not written twice.
      statement = sqlite.prepare(`insert into "${table}" (${quoted}) values (${columns.map(() => '?').join(', ')}) on conflict ("id") do nothing`);
      this.sqliteInserts.set(key, statement);
    }
    return statement;
  }

  async turns(range: TimeRange): Promise<TurnEvent[]> {
    const rows = await this.db.selectFrom('analytics_turns').selectAll().where('at', '>=', range.since).where('at', '<', range.until).orderBy('at').execute();
    return rows.map(toTurn);
  }

  async intentTransitions(range: TimeRange): Promise<IntentTransition[]> {
    // Window functions: SQLite ≥ 3.25 and PostgreSQL both have LAG.
    const result = await sql<{ from_intent: string; to_intent: string; n: number | string }>`
      SELECT previous AS from_intent, intent AS to_intent, COUNT(*) AS n
      FROM (
        SELECT intent, LAG(intent) OVER (PARTITION BY conversation ORDER BY at, id) AS previous
        FROM analytics_turns
        WHERE at >= ${range.since} AND at < ${range.until}
          AND intent IS NOT NULL AND out_of_scope = 0 AND intent NOT LIKE 'core.%'
      ) understood
      WHERE previous IS NOT NULL AND previous <> intent
      GROUP BY previous, intent`.execute(this.db);
    return result.rows.map((r) => ({ from: r.from_intent, to: r.to_intent, count: Number(r.n) }));
  }

  async transcript(range: TimeRange): Promise<TranscriptEvent[]> {
    const rows = await this.db.selectFrom('analytics_transcript').selectAll().where('at', '>=', range.since).where('at', '<', range.until).orderBy('at').execute();
    return rows.map(toTranscript);
  }

  async handoffEvents(range: TimeRange): Promise<HandoffEvent[]> {
    const rows = await this.db.selectFrom('analytics_handoff_events').selectAll().where('at', '>=', range.since).where('at', '<', range.until).orderBy('at').execute();
    return rows.map(toHandoff);
  }

  async csat(range: TimeRange): Promise<CsatEvent[]> {
    const rows = await this.db.selectFrom('analytics_csat').selectAll().where('at', '>=', range.since).where('at', '<', range.until).orderBy('at').execute();
    return rows.map(toCsat);
  }

  async exportUser(user: string): Promise<UserExport> {
    const [turns, transcript, handoffs, csat] = await Promise.all([
      this.db.selectFrom('analytics_turns').selectAll().where('user_key', '=', user).orderBy('at').execute(),
      this.db.selectFrom('analytics_transcript').selectAll().where('user_key', '=', user).orderBy('at').execute(),
      this.db.selectFrom('analytics_handoff_events').selectAll().where('user_key', '=', user).orderBy('at').execute(),
      this.db.selectFrom('analytics_csat').selectAll().where('user_key', '=', user).orderBy('at').execute(),
    ]);
    return { user, turns: turns.map(toTurn), transcript: transcript.map(toTranscript), handoffs: handoffs.map(toHandoff), csat: csat.map(toCsat) };
  }

  async deleteUser(user: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      let removed = 0;
      for (const table of ['analytics_turns', 'analytics_transcript', 'analytics_handoff_events', 'analytics_csat'] as const) {
        const result = await trx.deleteFrom(table).where('user_key', '=', user).executeTakeFirst();
        removed += Number(result.numDeletedRows);
      }
      return removed;
    });
  }

  async purgeTexts(before: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const lines = await trx.deleteFrom('analytics_transcript').where('at', '<', before).executeTakeFirst();
      const turns = await trx.updateTable('analytics_turns').set({ text: '' }).where('at', '<', before).where('text', '<>', '').executeTakeFirst();
      const comments = await trx.updateTable('analytics_csat').set({ comment: null }).where('at', '<', before).where('comment', 'is not', null).executeTakeFirst();
      // A dismissed message only had to stay out of the review list while its turns kept their text.
      const dismissed = await trx.updateTable('analytics_teach_log').set({ text: null }).where('at', '<', before).where('action', '=', 'dismiss').where('text', 'is not', null).executeTakeFirst();
      return Number(lines.numDeletedRows) + Number(turns.numUpdatedRows) + Number(comments.numUpdatedRows) + Number(dismissed.numUpdatedRows);
    });
  }

  async recordTeaching(entries: readonly TeachLogEntry[]): Promise<void> {
    if (!this.migrated) await this.migrate();
    if (entries.length === 0) return;
    const rows = entries.map((e) => storableRow({ id: e.id, at: e.at, actor: e.actor, action: e.action, pack: e.pack, intent: e.intent, text: e.text, detail: JSON.stringify(e.detail) }));
    await this.db.transaction().execute(async (trx) => {
      for (const chunk of chunks(rows)) await trx.insertInto('analytics_teach_log').values(chunk).onConflict((oc) => oc.column('id').doNothing()).execute();
    });
  }

  async teachingLog(limit: number): Promise<TeachLogEntry[]> {
    if (!this.migrated) await this.migrate();
    const rows = await this.db.selectFrom('analytics_teach_log').selectAll().orderBy('at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, at: Number(r.at), actor: r.actor, action: r.action as TeachLogEntry['action'], pack: r.pack, intent: r.intent, text: r.text, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  /** Test support: drops the PostgreSQL schema this store was opened on. */
  async dropSchema(): Promise<void> {
    if (this.schema) await sql`drop schema if exists ${sql.id(this.schema)} cascade`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) yield rows.slice(i, i + ROWS_PER_INSERT);
}

const flag = (value: boolean) => (value ? 1 : 0);
const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/**
 * The database refused what was written (a value out of range, a missing column value), as
 * opposed to not answering: retrying the same rows can never succeed. PostgreSQL SQLSTATE
 * classes 22 (data exception) and 23 (integrity constraint), 54000 (a value too long to index);
 * SQLite's constraint, mismatch and too-big errors.
 */
function refusesData(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return false;
  if (/^2[23][0-9A-Z]{3}$/.test(code) || code === '54000') return true;
  return code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG';
}

function turnRow(e: TurnEvent): TurnsTable {
  return {
    id: e.id, at: e.at, channel: e.channel, conversation: e.conversation, user_key: e.user, locale: e.locale, language: e.language,
    intent: e.intent, pack: e.pack, confidence: e.confidence, out_of_scope: flag(e.outOfScope), ambiguous: flag(e.ambiguous),
    fallback: flag(e.fallback), sentiment: e.sentiment, sentiment_label: e.sentimentLabel, answer_id: e.answerId,
    latency_ms: e.latencyMs === null ? null : Math.round(e.latencyMs), mode: e.mode, text: e.text,
  };
}

function handoffRow(e: HandoffEvent): HandoffEventsTable {
  return {
    id: e.id, handoff_id: e.handoffId, type: e.type, at: e.at, conversation: e.conversation, user_key: e.user, channel: e.channel,
    locale: e.locale, reason: e.reason, skill: e.skill, agent_id: e.agentId, disposition: e.disposition,
  };
}

function csatRow(e: CsatEvent): CsatTable {
  return {
    id: e.id, at: e.at, handoff_id: e.handoffId, conversation: e.conversation, user_key: e.user, channel: e.channel, skill: e.skill,
    agent_id: e.agentId, score: e.score, comment: e.comment,
  };
}

function toTurn(r: TurnsTable): TurnEvent {
  return {
    kind: 'turn', id: r.id, at: Number(r.at), channel: r.channel, conversation: r.conversation, user: r.user_key, locale: r.locale,
    language: r.language, intent: r.intent, pack: r.pack, confidence: num(r.confidence), outOfScope: Number(r.out_of_scope) === 1,
    ambiguous: Number(r.ambiguous) === 1, fallback: Number(r.fallback) === 1, sentiment: num(r.sentiment), sentimentLabel: r.sentiment_label,
    answerId: r.answer_id, latencyMs: num(r.latency_ms), mode: r.mode as TurnEvent['mode'], text: r.text,
  };
}

function toTranscript(r: TranscriptTable): TranscriptEvent {
  return { kind: 'transcript', id: r.id, at: Number(r.at), conversation: r.conversation, user: r.user_key, channel: r.channel, role: r.role as TranscriptEvent['role'], text: r.text };
}

function toHandoff(r: HandoffEventsTable): HandoffEvent {
  return {
    kind: 'handoff', id: r.id, handoffId: r.handoff_id, type: r.type as HandoffEvent['type'], at: Number(r.at), conversation: r.conversation,
    user: r.user_key, channel: r.channel, locale: r.locale, reason: r.reason, skill: r.skill, agentId: r.agent_id, disposition: r.disposition,
  };
}

function toCsat(r: CsatTable): CsatEvent {
  return {
    kind: 'csat', id: r.id, at: Number(r.at), handoffId: r.handoff_id, conversation: r.conversation, user: r.user_key, channel: r.channel,
    skill: r.skill, agentId: r.agent_id, score: Number(r.score), comment: r.comment,
  };
}
