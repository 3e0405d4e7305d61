import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCarebot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { listen } from '../src/http/http-server.js';
import { createLogger } from '../src/logger.js';

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

const require = createRequire(import.meta.url);
const SECRET = 'bench-device-secret-0123456789';

/**
 * Kiosk Direct Line load: N concurrent conversations posting messages to the real server on
 * loopback (full pipeline: auth, rate limiter, kiosk adapter, middleware, bot, reply rendering).
 */
export async function runDirectLineBench(print: (line: string) => void, options: { conversations?: number; seconds?: number } = {}): Promise<void> {
  const conversations = options.conversations ?? 50;
  const seconds = options.seconds ?? 10;
  const autocannon = require('autocannon') as Autocannon;
  const dir = mkdtempSync(join(tmpdir(), 'carebot-bench-kiosk-'));
  writeFileSync(join(dir, 'devices.yaml'), `devices:\n  - id: bench\n    secret: ${SECRET}\n    city: Shenzhen\n    language: en\n`);
  const carebot = await createCarebot(
    loadConfig({ NODE_ENV: 'production', MICROSOFT_APP_ID: 'bench', MICROSOFT_APP_PASSWORD: 'bench', KIOSK_DEVICES_FILE: join(dir, 'devices.yaml'), KIOSK_RATE_LIMIT_PER_MINUTE: '100000000', KNOWLEDGE_WATCH: 'false', LOG_LEVEL: 'silent' }),
    { logger: createLogger({ level: 'silent' }) },
  );
  const running = await listen(carebot.app, '127.0.0.1', 0);
  try {
    const started: { conversationId: string; token: string }[] = [];
    for (let i = 0; i < conversations; i += 1) {
      const response = await fetch(`${running.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' }, body: '{}' });
      started.push((await response.json()) as { conversationId: string; token: string });
    }
    let next = 0;
    const body = JSON.stringify({ type: 'message', text: 'What are the opening hours?' });
    const result = await autocannon({
      url: running.url,
      connections: conversations,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          setupRequest: (request: Record<string, unknown>) => {
            const conversation = started[next++ % started.length]!;
            return {
              ...request,
              path: `/v3/directline/conversations/${conversation.conversationId}/activities`,
              headers: { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' },
              body,
            };
          },
        },
      ],
    });
    print(
      `kiosk Direct Line, ${conversations} concurrent conversations posting messages for ${seconds} s on loopback: ` +
        `${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
    );
  } finally {
    await carebot.close();
    await running.close(1000);
    rmSync(dir, { recursive: true, force: true });
  }
}
