import { expect } from 'chai';
import { Redis } from 'ioredis';
import { MessageRefusedError } from '../../adapters/shared/text-channel-adapter.js';
import { BullmqOutboundDelivery } from '../../src/channels/outbound/bullmq-outbound-delivery.js';
import { MemoryOutboundDelivery } from '../../src/channels/outbound/memory-outbound-delivery.js';
import type { OutboundDelivery, OutboundMessage, SendOutbound } from '../../src/channels/outbound/outbound-delivery.js';
import { AdapterError } from '../../src/errors.js';
import { memoryLogger } from '../support/silent-logger.js';
import { connectTestRedis, deleteKeys, testRedisUrl, uniquePrefix } from '../support/test-redis.js';
import { eventually } from './support.js';

const message = (id: string): OutboundMessage => ({
  id,
  reference: { channelId: 'wechat-official', conversation: { id: 'o-1', isGroup: false, conversationType: 'personal', name: '' }, user: { id: 'o-1', name: '' } },
  activities: [{ type: 'message', text: 'Are you still there?' }],
  origin: { kind: 'agent', handoffId: 'h1', messageId: id },
});

/** The outbound queues (agent replies, chat replies) on a send the platform refused for good, and on one that may pass later. */
describe('outbound queues: a message the platform refused for good is reported at once, others retried', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  const queues: OutboundDelivery[] = [];
  before(() => {
    redis = connectTestRedis();
  });
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue?.close();
  });
  after(async () => {
    await deleteKeys(redis, prefix);
    await redis?.quit();
  });

  const bullmqLog = memoryLogger('error');
  const kinds: [string, (send: SendOutbound) => OutboundDelivery][] = [
    ['memory', (send) => new MemoryOutboundDelivery(send, { attempts: 3, backoffMs: 1 })],
    [
      'BullMQ',
      (send) =>
        new BullmqOutboundDelivery(send, {
          attempts: 3,
          backoffMs: 1,
          redis,
          createWorkerConnection: () => new Redis(testRedisUrl(), { maxRetriesPerRequest: null }),
          keyPrefix: prefix,
          logger: bullmqLog.logger,
          channelIds: () => ['wechat-official'],
          concurrency: 1,
        }),
    ],
  ];

  for (const [name, create] of kinds) {
    it(`${name}: one try for MessageRefusedError (reported failed), three for a passing failure`, async () => {
      const tries = new Map<string, number>();
      const failed: string[] = [];
      const queue = create(async (sent) => {
        tries.set(sent.id, (tries.get(sent.id) ?? 0) + 1);
        if (sent.id.startsWith('refused')) throw new MessageRefusedError('ADAPTER_SEND_FAILED', 'wechat-official: message not delivered (WeChat API error 45015)');
        throw new AdapterError('ADAPTER_SEND_FAILED', 'wechat-official: message not delivered (WeChat API error -1)');
      });
      queues.push(queue);
      queue.listen({ failed: (sent, error) => void failed.push(`${sent.id}: ${error}`) });
      await queue.start();
      await queue.enqueue(message(`refused-${name}`));
      await queue.enqueue(message(`busy-${name}`));
      await eventually(() => failed.length === 2, 'both reported failed', 15_000);
      expect(tries.get(`refused-${name}`), 'refused for good: not retried').to.equal(1);
      expect(tries.get(`busy-${name}`), 'busy: retried').to.equal(3);
      expect(failed.find((line) => line.startsWith('refused'))).to.include('45015');
      if (name === 'BullMQ') {
        // A reply's job id holds its inbound message id (on WhatsApp, the phone number): the log names it by a pseudonym.
        const jobIds = bullmqLog.lines().filter((line) => line.msg === 'outbound message failed after every retry').map((line) => line.jobId);
        expect(jobIds).to.have.lengthOf(2);
        for (const jobId of jobIds) expect(jobId).to.match(/^job:[0-9a-f]{12}$/);
      }
    });
  }
});
