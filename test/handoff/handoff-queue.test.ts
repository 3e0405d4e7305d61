import { testRedisUrl } from '../support/test-redis.js';
import { handoffQueueContract } from './handoff-queue.contract.js';
import { memoryQueueFactory, redisQueueFactory } from './support.js';

handoffQueueContract('in-process', memoryQueueFactory());
handoffQueueContract('BullMQ on Redis', redisQueueFactory(testRedisUrl));
