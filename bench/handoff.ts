import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { BullmqHandoffQueue } from '../src/handoff/queue/bullmq-handoff-queue.js';
import type { HandoffQueue } from '../src/handoff/queue/handoff-queue.js';
import { MemoryHandoffQueue } from '../src/handoff/queue/memory-handoff-queue.js';
import type { HandoffPayload } from '../src/handoff/types.js';
import { createLogger } from '../src/logger.js';
import { percentile } from './support/measure.js';

const HANDOFFS = 2000;
const AGENTS = 20;

function payload(i: number): HandoffPayload {
  return {
    reference: { channelId: 'bench', conversation: { id: `bench-${i}`, isGroup: false, conversationType: 'personal', name: '' } },
    channelId: 'bench',
    customer: { id: `c${i}`, locale: 'zh-HK' },
    reason: 'explicit',
    skill: 'general',
    intentsSeen: ['bank.lost_card', 'core.human'],
    sentimentTrend: [-0.3, 0],
    slots: { accountType: 'savings' },
    summary: { wants: 'bank.lost_card', entities: [], lastMessage: '我要真人' },
    transcript: Array.from({ length: 10 }, (_, t) => ({ from: t % 2 ? ('bot' as const) : ('customer' as const), text: `turn ${t}`, at: new Date().toISOString() })),
  };
}

/** Enqueues HANDOFFS handoffs as fast as they come while AGENTS agents drain them. */
async function measure(label: string, queue: HandoffQueue, print: (line: string) => void): Promise<void> {
  const enqueuedAt = new Map<string, number>();
  const latencies: number[] = [];
  let accepted = 0;
  let producing = true;
  const started = performance.now();
  const producer = (async () => {
    for (let i = 0; i < HANDOFFS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, HANDOFFS - i) }, async (_, k) => {
          const id = randomUUID();
          enqueuedAt.set(id, performance.now());
          await queue.enqueue({ id, skill: 'general', language: 'zh-HK', priority: 5, payload: payload(i + k) });
        }),
      );
    }
    producing = false;
  })();
  const agents = Array.from({ length: AGENTS }, async (_, n) => {
    const agent = { id: `bench-agent-${n}`, skills: ['general'], languages: ['zh-HK' as const] };
    for (;;) {
      const record = await queue.claimNext(agent);
      if (record) {
        latencies.push(performance.now() - (enqueuedAt.get(record.id) ?? performance.now()));
        accepted += 1;
        continue;
      }
      if (!producing && accepted >= HANDOFFS) return;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  });
  await producer;
  await Promise.all(agents);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  print(
    `  ${label.padEnd(22)} ${HANDOFFS} handoffs, ${AGENTS} agents: ${(HANDOFFS / seconds).toFixed(0)} handoffs/s, ` +
      `enqueue → accepted p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );
}

/** Handoff queue throughput and enqueue → agent-visible latency (in-process, and BullMQ when Redis is given). */
export async function runHandoffBench(print: (line: string) => void, options: { redisUrl?: string | undefined } = {}): Promise<void> {
  print('handoff queue');
  await measure('in-process', new MemoryHandoffQueue({ leaseMs: 60_000 }), print);
  if (!options.redisUrl) {
    print('  BullMQ on Redis: skipped (set REDIS_URL)');
    return;
  }
  const keyPrefix = `bench-${randomUUID()}`;
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  const queue = new BullmqHandoffQueue({
    redis,
    keyPrefix,
    leaseMs: 60_000,
    logger: createLogger({ level: 'silent' }),
    createWorkerConnection: () => new Redis(options.redisUrl!, { maxRetriesPerRequest: null }),
  });
  try {
    await measure('BullMQ on Redis', queue, print);
  } finally {
    await queue.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  }
}
