import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import qrcodeTerminal from 'qrcode-terminal';
import { WechatyBuilder, type PuppetModuleName } from 'wechaty';
import { ConfigError } from '../../src/errors.js';
import type { CarebotFeature, FeatureDeps } from '../../src/feature.js';
import { createDedupeStore } from '../shared/dedupe-store.js';
import { createReplyQueue } from '../shared/reply-queue.js';
import { WechatChannel } from './wechat-channel.js';

/** The WeChat channel, when WECHAT_ENABLED=true; undefined otherwise. */
export async function createWechatFeature(deps: FeatureDeps): Promise<CarebotFeature | undefined> {
  const settings = deps.config.wechat;
  if (!settings.enabled) return undefined;
  try {
    await import(settings.puppet);
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration:\n  WECHATY_PUPPET=${JSON.stringify(settings.puppet)}: the puppet package is not installed (npm install --save ${settings.puppet})`,
      { cause: error },
    );
  }
  const sessionName = resolve(deps.rootDir, settings.sessionName);
  mkdirSync(dirname(sessionName), { recursive: true });
  const puppetOptions: Record<string, string> = {};
  if (settings.puppetToken) puppetOptions.token = settings.puppetToken;
  if (settings.puppetEndpoint) puppetOptions.endpoint = settings.puppetEndpoint;
  const wechaty = WechatyBuilder.build({ name: sessionName, puppet: settings.puppet as PuppetModuleName, puppetOptions });
  // The worker sends through the channel created just below; no job runs before start().
  const replyQueue = createReplyQueue(deps, 'wechat', settings, (message) => channel.adapter.deliverQueued(message));
  const channel = new WechatChannel({
    wechaty,
    logic: (context) => deps.bot.run(context),
    attach: (adapter) => deps.bot.attachTo(adapter),
    i18n: deps.i18n,
    logger: deps.logger,
    delivery: settings,
    dedupe: createDedupeStore(deps.redis, deps.config.redis?.keyPrefix ?? 'carebot', settings.dedupeTtlSeconds),
    printQrCode: (qrCode) => qrcodeTerminal.generate(qrCode, { small: true }),
    replyQueue,
  });
  return {
    name: 'wechat',
    channels: [channel],
    async start() {
      await channel.start();
      await replyQueue?.start();
    },
    async close() {
      await channel.stop();
      await replyQueue?.close();
    },
  };
}
