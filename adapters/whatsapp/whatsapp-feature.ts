import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import type { CarebotFeature, FeatureDeps } from '../../src/feature.js';
import { sessionChannelFeature } from '../shared/session-feature.js';
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
  // Loaded only when the channel is on: whatsapp-web.js brings puppeteer with it.
  const { default: wwebjs } = await import('whatsapp-web.js');
  const dataPath = resolve(deps.rootDir, settings.sessionDir);
  mkdirSync(dataPath, { recursive: true });
  const client = new wwebjs.Client({
    authStrategy: new wwebjs.LocalAuth({ dataPath, clientId: settings.clientId }),
    puppeteer: { executablePath: settings.chromiumPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] },
  });
  client.on('error' as never, (error: unknown) => deps.logger.error({ err: error, channelId: 'whatsapp' }, 'WhatsApp client error'));
  return sessionChannelFeature(deps, 'whatsapp', settings, (options) => new WhatsappChannel({ ...options, client: client as unknown as WhatsappClient }));
}
