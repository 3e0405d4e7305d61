import { Queue } from 'bullmq';
import { queuedReplyId } from '../../adapters/shared/text-channel-adapter.js';
import type { Redis } from 'ioredis';
import { createCarebot, type Carebot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { listen, type RunningServer } from '../../src/http/http-server.js';
import { memoryLogger } from '../support/silent-logger.js';
import { buildWxXml } from '../../adapters/wechat-official/wx-xml.js';
import { wechatSignature } from '../../adapters/wechat-official/wx-biz-msg-crypt.js';
import { RedisKeys, replyQueueName } from '../../src/state/redis-keys.js';

export const OA = { token: 'oa-token', appId: 'wx0123456789abcdef', secret: 'oa-secret', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };

export interface RunningCarebot {
  readonly carebot: Carebot;
  readonly server: RunningServer;
  readonly logs: () => Record<string, unknown>[];
  close(): Promise<void>;
}

/** createCarebot + listen on 127.0.0.1, with the given environment; `close` stops both. */
export async function startCarebot(env: Record<string, string>): Promise<RunningCarebot> {
  const { logger, lines } = memoryLogger('info');
  const carebot = await createCarebot(loadConfig({ NODE_ENV: 'test', KNOWLEDGE_PACKS: 'core', KNOWLEDGE_WATCH: 'false', ...env }), { logger });
  let server: RunningServer;
  try {
    server = await listen(carebot.app, '127.0.0.1', 0);
    await carebot.start();
  } catch (error) {
    await carebot.close();
    throw error;
  }
  return {
    carebot,
    server,
    logs: lines,
    async close() {
      await server.close(1000);
      await carebot.close();
    },
  };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A user's text message as the Official Account posts it (plain mode). */
export function textXml(openId: string, text: string, msgId: string): string {
  return buildWxXml({ ToUserName: 'gh_carebot', FromUserName: openId, CreateTime: nowSeconds(), MsgType: 'text', Content: text, MsgId: msgId });
}

/** The query string WeChat signs a callback with (`signature` over token, timestamp, nonce). */
export function signedQuery(token: string, timestamp = nowSeconds(), extra: Record<string, string> = {}): string {
  const nonce = String(Math.floor(Math.random() * 1e9));
  const signature = wechatSignature(token, String(timestamp), nonce);
  return new URLSearchParams({ signature, timestamp: String(timestamp), nonce, ...extra }).toString();
}

/**
 * The reply-queue job of the first reply to Official Account message `msgId`, or null when none
 * was queued (sent within the turn). Delivered jobs are removed; their deduplication id stays.
 */
export async function queuedReplyJob(redis: Redis, prefix: string, msgId: string): Promise<string | null> {
  const queue = new Queue(replyQueueName('wechat-official'), { connection: redis, prefix: new RedisKeys(prefix).bull });
  try {
    return await queue.getDeduplicationJobId(queuedReplyId('wechat-official', msgId, 1));
  } finally {
    await queue.close();
  }
}

/** The settings that turn the Official Account channel on against the fake platform at `apiUrl`. */
export function officialAccountEnv(apiUrl: string): Record<string, string> {
  return { WECHAT_OFFICIAL_TOKEN: OA.token, WECHAT_OFFICIAL_APP_ID: OA.appId, WECHAT_OFFICIAL_APP_SECRET: OA.secret, WECHAT_OFFICIAL_API_BASE_URL: apiUrl };
}
