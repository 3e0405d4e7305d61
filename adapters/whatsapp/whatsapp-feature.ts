import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import qrcodeTerminal from 'qrcode-terminal';
import wwebjs from 'whatsapp-web.js';
import { ConfigError } from '../../src/errors.js';
import type { CarebotFeature, FeatureDeps } from '../../src/feature.js';
import { createDedupeStore } from '../shared/dedupe-store.js';
import { createReplyQueue } from '../shared/reply-queue.js';
import { WhatsappChannel, type WhatsappClient } from './whatsapp-channel.js';

/** The WhatsApp channel, when WHATSAPP_ENABLED=true; undefined otherwise. */
export async function createWhatsappFeature(deps: FeatureDeps): Promise<CarebotFeature | undefined> {
  const settings = deps.config.whatsapp;
  if (!settings.enabled) return undefined;
  if (!existsSync(settings.chromiumPath)) {
    throw new ConfigError(
      `Invalid configuration:\n  PUPPETEER_EXECUTABLE_PATH=${JSON.stringify(settings.chromiumPath)}: no Chromium there; WhatsApp needs one (sudo apt-get install -y chromium)`,
    );
  }
  const dataPath = resolve(deps.rootDir, settings.sessionDir);
  mkdirSync(dataPath, { recursive: true });
  const client = new wwebjs.Client({
    authStrategy: new wwebjs.LocalAuth({ dataPath, clientId: settings.clientId }),
    puppeteer: { executablePath: settings.chromiumPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] },
  });
  client.on('error' as never, (error: unknown) => deps.logger.error({ err: error, channelId: 'whatsapp' }, 'WhatsApp client error'));
  // The worker sends through the channel created just below; no job runs before start().
  const replyQueue = createReplyQueue(deps, 'whatsapp', settings, (message) => channel.adapter.deliverQueued(message));
  const channel = new WhatsappChannel({
    client: client as unknown as WhatsappClient,
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
    name: 'whatsapp',
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
