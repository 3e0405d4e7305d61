import { expect } from 'chai';
import type { Cluster } from 'ioredis';
import { call, LOBBY_SECRET, startKioskServer, type KioskServer } from '../kiosk/support/kiosk-server.js';
import { connectCluster } from '../support/redis-cluster.js';
import { deleteKeys, describeOnRedisCluster, prefixName, uniquePrefix } from '../support/test-redis.js';

/** The composition root on REDIS_CLUSTER_NODES: state, Direct Line, handoff (BullMQ) and readiness. */
describeOnRedisCluster('carebot', (cluster) => {
  const prefix = uniquePrefix();
  let server: KioskServer | undefined;
  let admin: Cluster | undefined;
  before(async function () {
    this.timeout(120_000);
    admin = connectCluster(cluster());
    server = await startKioskServer({
      REDIS_CLUSTER_NODES: cluster().seeds,
      REDIS_KEY_PREFIX: prefixName(prefix),
      HANDOFF_AGENTS_FILE: 'config/agents.example.yaml',
    });
  });
  after(async () => {
    await server?.close();
    if (admin) {
      await deleteKeys(admin, prefix);
      await admin?.quit();
    }
  });

  it('is ready, answers a kiosk visitor, and keeps the conversation and its state under the one hash tag', async function () {
    this.timeout(60_000);
    const url = server!.url;
    for (let attempt = 0; attempt < 300; attempt++) {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    expect(ready.ready, JSON.stringify(ready)).to.equal(true);
    expect(ready.checks.redis?.ok).to.equal(true);

    const started = await call(`${url}/v3/directline/conversations`, 'POST', LOBBY_SECRET);
    expect(started.status).to.be.oneOf([200, 201]);
    const { conversationId, token } = started.body as { conversationId: string; token: string };
    const posted = await call(`${url}/v3/directline/conversations/${conversationId}/activities`, 'POST', token, { type: 'message', from: { id: 'visitor' }, text: 'hello', channelData: { chosenLocale: 'en' } });
    expect(posted.status).to.equal(200);
    let replies: unknown[] = [];
    for (let attempt = 0; attempt < 300 && replies.length === 0; attempt++) {
      const log = await call(`${url}/v3/directline/conversations/${conversationId}/activities`, 'GET', token);
      replies = ((log.body.activities ?? []) as { from: { id: string } }[]).filter((activity) => activity.from.id !== 'visitor');
      if (replies.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(replies, 'a bot reply').to.not.have.length(0);

    const keys: string[] = [];
    for (const node of admin!.nodes('master')) keys.push(...(await node.keys(`${prefix}*`)));
    expect(keys.some((key) => key.startsWith(`${prefix}:directline:${conversationId}`)), keys.join(' ')).to.equal(true);
    expect(keys.some((key) => key.startsWith(`${prefix}:conversation:`)), keys.join(' ')).to.equal(true);
  });
});
