import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PuppetModuleName } from 'wechaty';
import { ConfigError } from '../../src/errors.js';
import type { CarebotFeature, FeatureDeps } from '../../src/feature.js';
import { sessionChannelFeature } from '../shared/session-feature.js';
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
  // Loaded only when the channel is on: wechaty and its puppets are large and optional.
  const { WechatyBuilder } = await import('wechaty');
  const wechaty = WechatyBuilder.build({ name: sessionName, puppet: settings.puppet as PuppetModuleName, puppetOptions });
  return sessionChannelFeature(deps, 'wechat', settings, (options) => new WechatChannel({ ...options, wechaty }));
}
