import { randomUUID } from 'node:crypto';
import { AnalyticsKeys } from '../../src/analytics/keys.js';
import { KyselyAnalyticsStore } from '../../src/analytics/store/kysely-store.js';

/** The hash secret analytics tests share, so ids hashed by a test match the ones a feature built with ANALYTICS_HASH_SECRET stores. */
export const TEST_HASH_SECRET = 'carebot-analytics-test-secret-0123456789';
export const testKeys = new AnalyticsKeys(TEST_HASH_SECRET);

/** The PostgreSQL the tests use: DATABASE_URL, or the machine's local server. */
export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A store on a fresh `test_<uuid>` schema; `dispose` drops the schema. */
export function createPostgresTestStore(): { store: KyselyAnalyticsStore; schema: string; dispose: () => Promise<void> } {
  const schema = `test_${randomUUID().replace(/-/g, '')}`;
  const store = new KyselyAnalyticsStore({ databaseUrl: TEST_DATABASE_URL, schema });
  return {
    store,
    schema,
    async dispose() {
      await store.dropSchema().catch(() => undefined);
      await store.close();
    },
  };
}

export interface BackendUnderTest {
  readonly name: 'sqlite' | 'postgres';
  create(): { store: KyselyAnalyticsStore; dispose: () => Promise<void> };
}

export const BACKENDS: readonly BackendUnderTest[] = [
  {
    name: 'sqlite',
    create() {
      const store = new KyselyAnalyticsStore({ sqliteFile: ':memory:' });
      return { store, dispose: () => store.close() };
    },
  },
  { name: 'postgres', create: createPostgresTestStore },
];
