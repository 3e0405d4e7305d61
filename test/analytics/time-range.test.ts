import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCarebot, type Carebot } from '../../src/app.js';
import { parseSince } from '../../src/analytics/time-range.js';
import { loadConfig } from '../../src/config.js';
import { hasErrorCode } from '../../src/errors.js';
import { listen, type RunningServer } from '../../src/http/http-server.js';
import { memoryLogger } from '../support/silent-logger.js';

const NOW = Date.parse('2025-03-10T09:00:00Z');

function refused(value: string): Error {
  try {
    parseSince(value, NOW);
  } catch (error) {
    expect(hasErrorCode(error, 'REQUEST_INVALID'), String(error)).to.equal(true);
    return error as Error;
  }
  throw new Error(`expected ${value} to be refused`);
}

describe('analytics time range (since/until)', () => {
  it('reads relative spans and ISO dates, and nothing when absent', () => {
    expect(parseSince('7d', NOW)).to.equal(NOW - 7 * 86_400_000);
    expect(parseSince(' 24H ', NOW)).to.equal(NOW - 86_400_000);
    expect(parseSince('2025-03-01T00:00:00Z', NOW)).to.equal(Date.parse('2025-03-01T00:00:00Z'));
    expect(parseSince(undefined, NOW)).to.equal(undefined);
    expect(parseSince('', NOW)).to.equal(undefined);
  });

  it('refuses times a Date cannot hold and unreadable values, naming them', () => {
    expect(refused('99999999999999999999d').message).to.include('99999999999999999999d').and.include('out of range');
    expect(refused('200000w').message).to.include('out of range');
    expect(refused('next tuesday').message).to.include('Unreadable');
  });

  describe('on the dashboard API', () => {
    const TOKEN = 'time-range-admin-token-0123';
    let dir: string | undefined;
    let carebot: Carebot | undefined;
    let running: RunningServer | undefined;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'carebot-range-'));
      carebot = await createCarebot(
        loadConfig({ NODE_ENV: 'test', ADMIN_TOKEN: TOKEN, KNOWLEDGE_PACKS: 'core', KNOWLEDGE_WATCH: 'false', HANDOFF_ENABLED: 'false', ANALYTICS_SQLITE_FILE: join(dir, 'a.sqlite') }),
        { logger: memoryLogger('silent').logger },
      );
      await carebot.start();
      running = await listen(carebot.app, '127.0.0.1', 0);
    });
    after(async () => {
      await running?.close(500);
      await carebot?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('answers since=99999999999999999999d with 400 REQUEST_INVALID and the reason, not 500', async () => {
      const auth = { authorization: `Bearer ${TOKEN}` };
      for (const query of ['since=99999999999999999999d', 'until=99999999999999999999d', 'since=yesterday-ish']) {
        const response = await fetch(`${running!.url}/api/admin/analytics/metrics?${query}`, { headers: auth });
        expect(response.status, query).to.equal(400);
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code).to.equal('REQUEST_INVALID');
        expect(body.error.message).to.match(/out of range|Unreadable/);
      }
      expect((await fetch(`${running!.url}/api/admin/analytics/metrics?since=30d`, { headers: auth })).status).to.equal(200);
    });
  });
});
