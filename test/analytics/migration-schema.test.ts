import { expect } from 'chai';
import { createPostgresTestStore } from './support.js';

describe('analytics migrations on a PostgreSQL database other schemas share', () => {
  const stores: ReturnType<typeof createPostgresTestStore>[] = [];
  after(async () => {
    for (const store of stores) await store.dispose();
  });

  it('migrate carebot\'s schema although another schema already has kysely\'s migration tables', async () => {
    // Another application (or another carebot) keeps its kysely_migration tables in its own schema.
    const other = createPostgresTestStore();
    stores.push(other);
    await other.store.migrate();

    const ours = createPostgresTestStore();
    stores.push(ours);
    await ours.store.migrate();
    await ours.store.write([
      { kind: 'transcript', id: 'm1', at: 1_000, conversation: 'c1', user: 'u1', channel: 'test', role: 'customer', text: 'where is the toilet' },
    ]);
    expect((await ours.store.transcript({ since: 0, until: 2_000 })).map((line) => line.text)).to.deep.equal(['where is the toilet']);
  });
});
