import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { getChannelIdentity, type ChannelIdentity } from '../../../src/channels/channel-identity.js';
import { createCarebot, type Carebot } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { listen, type RunningServer } from '../../../src/http/http-server.js';
import { memoryLogger } from '../../support/silent-logger.js';

export const TOKEN_SECRET = 'test-kiosk-token-secret-0123456789abcdef';
export const LOBBY_SECRET = 'lobby-secret-0123456789';
export const PLANT_SECRET = 'plant-secret-0123456789';

export const DEVICES_YAML = `
devices:
  - id: lobby-hk-1
    secret: ${LOBBY_SECRET}
    site: Hong Kong HQ lobby
    city: Hong Kong
    language: zh-HK
    idleTimeoutSeconds: 60
    pageNetworks: ["127.0.0.1/32", "::1"]
  - id: plant-sz-1
    secret: ${PLANT_SECRET}
    site: Shenzhen plant 2
    city: Shenzhen
    language: zh-CN
`;

export interface KioskServer {
  readonly url: string;
  readonly carebot: Carebot;
  readonly running: RunningServer;
  /** Every turn the bot ran, as the bot saw it (after the kiosk middleware). */
  readonly turns: { activity: Activity; identity: ChannelIdentity | undefined }[];
  close(): Promise<void>;
}

/** A real carebot (composition root, HTTP server, WebSocket upgrades) with two kiosk devices. */
export async function startKioskServer(env: Record<string, string> = {}, options: { port?: number; devicesYaml?: string } = {}): Promise<KioskServer> {
  const dir = mkdtempSync(join(tmpdir(), 'carebot-kiosk-'));
  const devicesFile = join(dir, 'devices.yaml');
  writeFileSync(devicesFile, options.devicesYaml ?? DEVICES_YAML);
  const carebot = await createCarebot(
    loadConfig({ NODE_ENV: 'test', KIOSK_DEVICES_FILE: devicesFile, KIOSK_TOKEN_SECRET: TOKEN_SECRET, KIOSK_RATE_LIMIT_PER_MINUTE: '100000', KNOWLEDGE_PACKS: 'core', KNOWLEDGE_WATCH: 'false', ...env }),
    { logger: memoryLogger('silent').logger },
  );
  const turns: KioskServer['turns'][number][] = [];
  carebot.bot.late.use({
    onTurn: async (context, next) => {
      turns.push({ activity: structuredClone(context.activity), identity: getChannelIdentity(context) });
      await next();
    },
  });
  let running: RunningServer;
  try {
    running = await listen(carebot.app, '127.0.0.1', options.port ?? 0);
  } catch (error) {
    await carebot.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  for (const feature of carebot.features) feature.attachToServer?.(running.server);
  await carebot.start();
  return {
    url: running.url,
    carebot,
    running,
    turns,
    async close() {
      await carebot.close();
      await running.close(500);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Json {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

export async function call(url: string, method: string, auth: string | undefined, body?: unknown): Promise<Json> {
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = `Bearer ${auth}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Json['body']) : {} };
}

/** Polls GET /activities until `predicate` holds (the bot answers asynchronously after the start). */
export async function waitForActivities(
  base: string,
  conversationId: string,
  token: string,
  predicate: (activities: Record<string, unknown>[]) => boolean,
): Promise<{ activities: Record<string, unknown>[]; watermark: string }> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { body } = await call(`${base}/v3/directline/conversations/${conversationId}/activities`, 'GET', token);
    const activities = body.activities as Record<string, unknown>[];
    if (predicate(activities)) return { activities, watermark: body.watermark as string };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the expected activities never arrived');
}
