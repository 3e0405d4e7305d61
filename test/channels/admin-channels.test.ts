import { expect } from 'chai';
import type { Server } from 'node:http';
import express from 'express';
import { TestAdapter } from 'botbuilder';
import { adminChannelsRouter, channelReadinessChecks } from '../../src/channels/admin-channels.js';
import { ChannelRegistry, type ChannelStatus } from '../../src/channels/channel-registry.js';
import { LoginGuard } from '../../src/http/login-guard.js';
import { runReadinessChecks } from '../../src/http/readiness.js';
import { memoryLogger } from '../support/silent-logger.js';

const TOKEN = 'admin-token-0123456789';

function fakeChannel(id: string, status: Partial<ChannelStatus>) {
  return {
    id,
    adapter: new TestAdapter(),
    status: (): ChannelStatus => ({ channelId: id, state: 'connected', sendFailures: 0, required: false, ...status }),
  };
}

describe('/admin/channels and channel readiness', () => {
  let server: Server;
  let url: string;
  const registry = new ChannelRegistry();
  registry.register(fakeChannel('wechat', { state: 'connecting', qrCode: 'https://login.weixin.qq.com/l/abc123', detail: 'waiting for the login QR code to be scanned' }));
  registry.register(fakeChannel('whatsapp', { state: 'connected', loggedInAs: 'Carebot HK +85260001111', sendFailures: 2, lastMessageAt: '2026-11-25T12:00:00.000Z', required: true }));

  before(async () => {
    const app = express();
    app.use(adminChannelsRouter(registry, TOKEN, LoginGuard.create({ maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, lockoutSeconds: 900 }, undefined, 'test', memoryLogger('silent').logger)));
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('needs the admin token', async () => {
    expect((await fetch(`${url}/admin/channels`)).status).to.equal(401);
  });

  it('shows every channel with its status and the pending QR code as an image', async () => {
    const response = await fetch(`${url}/admin/channels`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).to.equal(200);
    const html = await response.text();
    expect(html).to.include('<td>wechat</td>').and.include('connecting').and.include('src="data:image/png;base64,');
    expect(html).to.include('Carebot HK +85260001111').and.include('<td>2</td>').and.include('http-equiv="refresh"');
    const json = (await (await fetch(`${url}/admin/channels.json`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { channels: ChannelStatus[] };
    expect(json.channels.map((c) => [c.channelId, c.state])).to.deep.equal([['wechat', 'connecting'], ['whatsapp', 'connected']]);
  });

  it('fails readiness only for a required channel that is not connected', async () => {
    expect((await runReadinessChecks(channelReadinessChecks(registry), 1000)).ready).to.equal(true);
    const down = new ChannelRegistry();
    down.register(fakeChannel('whatsapp', { state: 'logged-out', detail: 'disconnected: LOGOUT', required: true }));
    down.register(fakeChannel('wechat', { state: 'connecting', required: false }));
    const report = await runReadinessChecks(channelReadinessChecks(down), 1000);
    expect(report.ready).to.equal(false);
    expect(report.checks['channel:whatsapp']).to.deep.equal({ ok: false, error: 'logged-out: disconnected: LOGOUT (sendFailures 0)' });
    expect(report.checks['channel:wechat']).to.deep.equal({ ok: true });
  });
});
