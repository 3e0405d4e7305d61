import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Redis } from 'ioredis';
import { createCarebot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { listen } from '../src/http/http-server.js';
import { createLogger } from '../src/logger.js';
import { runLoad, runLoadInOwnProcess } from './support/load-client.js';

const SECRET = 'bench-device-secret-0123456789';
const SITE_SECRET = 'bench-site-device-secret-0123456789';
const TOKEN_SECRET = 'bench-kiosk-token-secret-0123456789abcdef';
const MB = 1024 * 1024;

/** A full collection before each RSS reading (bench runs without --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function settledRss(): Promise<number> {
  for (let i = 0; i < 3; i += 1) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().rss;
}

/**
 * Kiosk Direct Line, in memory and on Redis side by side: N concurrent conversations posting
 * messages to the real server on loopback (auth, rate limiter, kiosk adapter, middleware, bot,
 * reply rendering, store), from a load generator in a process of its own with one conversation
 * per connection (as kiosks post). Two kiosks: one configured with its site (as
 * config/kiosk-devices.example.yaml), whose question is answered at once, and one without, which
 * asks for the site on every message (the slot question and its retry, through the dialog
 * stack); the second also by the method of earlier runs (the generator in the server's process,
 * conversations in turn across connections). Then the resident memory before and after 10,000
 * conversations (each greeted and asked one question), with what that makes per conversation.
 */
export async function runDirectLineBench(
  print: (line: string) => void,
  options: { conversations?: number; seconds?: number; retained?: number; redisUrl?: string | undefined } = {},
): Promise<void> {
  const stores: ('memory' | 'redis')[] = options.redisUrl ? ['memory', 'redis'] : ['memory'];
  for (const store of stores) await runOne(print, store, options);
  if (!options.redisUrl) print('(kiosk Direct Line on Redis skipped: no redis-server installed and no REDIS_URL)');
}

async function runOne(
  print: (line: string) => void,
  store: 'memory' | 'redis',
  options: { conversations?: number; seconds?: number; retained?: number; redisUrl?: string | undefined },
): Promise<void> {
  const conversations = options.conversations ?? 50;
  const seconds = options.seconds ?? 10;
  const retained = options.retained ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'carebot-bench-kiosk-'));
  const keyPrefix = `bench-${randomUUID()}`;
  const site = 'bench-at-site';
  writeFileSync(
    join(dir, 'devices.yaml'),
    `devices:\n  - id: bench\n    secret: ${SECRET}\n    city: Shenzhen\n    language: en\n` +
      `  - id: ${site}\n    secret: ${SITE_SECRET}\n    site: hk-wan-chai\n    city: Hong Kong\n    language: en\n`,
  );
  const rssBefore = await settledRss();
  const carebot = await createCarebot(
    loadConfig({
      NODE_ENV: 'production',
      MICROSOFT_APP_ID: 'bench',
      MICROSOFT_APP_PASSWORD: 'bench',
      KIOSK_DEVICES_FILE: join(dir, 'devices.yaml'),
      KIOSK_RATE_LIMIT_PER_MINUTE: '100000000',
      KNOWLEDGE_WATCH: 'false',
      LOG_LEVEL: 'silent',
      ...(store === 'redis' ? { REDIS_URL: options.redisUrl!, REDIS_KEY_PREFIX: keyPrefix, KIOSK_TOKEN_SECRET: TOKEN_SECRET } : {}),
    }),
    { logger: createLogger({ level: 'silent' }) },
  );
  const running = await listen(carebot.app, '127.0.0.1', 0);
  try {
    let refused = 0;
    const start = async (secret = SECRET) => {
      const response = await fetch(`${running.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: '{}' });
      if (response.status !== 201) refused += 1;
      return (await response.json()) as { conversationId: string; token: string };
    };
    const startMany = async (secret: string) => {
      const started: { conversationId: string; token: string }[] = [];
      for (let i = 0; i < conversations; i += 1) started.push(await start(secret));
      return started;
    };
    const withoutSite = await startMany(SECRET);
    const atSite = await startMany(SITE_SECRET);
    const body = JSON.stringify({ type: 'message', text: 'What are the opening hours?' });
    // Unmeasured: the first seconds of load compile the HTTP and Direct Line paths, which the dialog benches never ran.
    await runLoad({ url: running.url, conversations: withoutSite, seconds: 3, body, conversationPer: 'connection' });
    await runLoad({ url: running.url, conversations: atSite, seconds: 2, body, conversationPer: 'connection' });
    for (const [how, load, conversationPer, kiosks] of [
      ['a kiosk with its site (answered at once), client in its own process, one conversation per connection', runLoadInOwnProcess, 'connection', atSite],
      ['a kiosk without a site (asked for it on every message), client in its own process, one conversation per connection', runLoadInOwnProcess, 'connection', withoutSite],
      ['a kiosk without a site, client in the server process, conversations in turn across connections (earlier runs)', runLoad, 'request', withoutSite],
    ] as const) {
      const result = await load({ url: running.url, conversations: kiosks, seconds, body, conversationPer });
      print(
        `kiosk Direct Line (${store}), ${conversations} concurrent conversations posting "What are the opening hours?" for ${seconds} s on loopback, ${how}: ` +
          `${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
      );
    }

    // Resident memory of this process for `retained` more conversations, each greeted and asked one question.
    const rssLoaded = await settledRss();
    const heapLoaded = process.memoryUsage().heapUsed;
    refused = 0;
    const t0 = performance.now();
    let made = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (made < retained) {
          made += 1;
          const { conversationId, token } = await start();
          if (!conversationId) continue;
          await fetch(`${running.url}/v3/directline/conversations/${conversationId}/activities`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
        }
      }),
    );
    const madeSeconds = (performance.now() - t0) / 1000;
    const storeDetail = carebot.channels.get('directline')?.status().detail ?? '';
    const rssAfter = await settledRss();
    const heapAfter = process.memoryUsage().heapUsed;
    const perConversationKb = ((rssAfter - rssLoaded) / Math.max(1, retained - refused) / 1024).toFixed(1);
    print(
      `kiosk Direct Line (${store}), RSS before and after ${retained.toLocaleString('en')} conversations (greeting + one question each): ` +
        `${(rssLoaded / MB).toFixed(0)} MB → ${(rssAfter / MB).toFixed(0)} MB (+${((rssAfter - rssLoaded) / MB).toFixed(0)} MB, ${perConversationKb} KB per conversation; ` +
        `JS heap +${((heapAfter - heapLoaded) / MB).toFixed(0)} MB; process before carebot started ${(rssBefore / MB).toFixed(0)} MB; conversation + user state in ${store === 'redis' ? 'Redis' : 'memory'} too; ` +
        `made in ${madeSeconds.toFixed(0)} s, ${refused} refused (the in-memory store holds at most 10,000)); ` +
        `Direct Line store: ${storeDetail}`,
    );
  } finally {
    await carebot.close();
    await running.close(1000);
    if (store === 'redis') {
      const redis = new Redis(options.redisUrl!);
      let cursor = '0';
      do {
        const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
        cursor = nextCursor;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
