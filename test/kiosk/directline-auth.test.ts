import { expect } from 'chai';
import { WebSocket } from 'ws';
import { TokenIssuer } from '../../adapters/kiosk/tokens.js';
import { call, LOBBY_SECRET, PLANT_SECRET, startKioskServer, TOKEN_SECRET, type KioskServer } from './support/kiosk-server.js';

/** Each check here once survived a deliberate removal of the guard it covers; these fail without it. */
describe('kiosk Direct Line: who may do what', () => {
  let server: KioskServer;
  let base: string;
  const issuer = new TokenIssuer(TOKEN_SECRET, 600);

  before(async () => {
    server = await startKioskServer();
    base = `${server.url}/v3/directline`;
  });
  after(async () => {
    await server?.close();
  });

  async function start(secret = LOBBY_SECRET) {
    const started = await call(`${base}/conversations`, 'POST', secret, {});
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    return started.body as { conversationId: string; token: string; streamUrl: string };
  }

  /** The HTTP status of a stream upgrade: 101 when it opened. */
  function upgrade(url: string, headers: Record<string, string> = {}): Promise<number> {
    return new Promise<number>((resolve) => {
      const ws = new WebSocket(url, { headers });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => undefined);
    });
  }
  const streamOf = (conversationId: string, query: string) => `${base.replace(/^http/, 'ws')}/conversations/${conversationId}/stream?${query}`;

  it('POST /tokens/generate takes the device secret only, never a conversation token', async () => {
    const { token } = await start();
    const withToken = await call(`${base}/tokens/generate`, 'POST', token, {});
    expect(withToken.status).to.equal(401);
    expect(withToken.body.error?.code).to.equal('UNAUTHORIZED');
    expect(withToken.body).to.not.have.property('token');
    const withSecret = await call(`${base}/tokens/generate`, 'POST', LOBBY_SECRET, {});
    expect(withSecret.status).to.equal(200);
  });

  it("the stream refuses a token of another conversation of the same device", async () => {
    const first = await start();
    const second = await start();
    expect(await upgrade(streamOf(second.conversationId, `t=${encodeURIComponent(first.token)}`))).to.equal(403);
    expect(await upgrade(streamOf(second.conversationId, `t=${encodeURIComponent(second.token)}`))).to.equal(101);
  });

  it("the stream refuses another device's token or secret for a conversation, even a validly signed token naming it", async () => {
    const lobby = await start();
    const plantToken = issuer.issue({ dev: 'plant-sz-1', conv: lobby.conversationId, user: 'dl_intruder' });
    expect(await upgrade(streamOf(lobby.conversationId, `t=${encodeURIComponent(plantToken)}`))).to.equal(404);
    expect(await upgrade(streamOf(lobby.conversationId, ''), { authorization: `Bearer ${PLANT_SECRET}` })).to.equal(404);
    expect(await upgrade(streamOf(lobby.conversationId, ''), { authorization: `Bearer ${LOBBY_SECRET}` })).to.equal(101);
  });

  it('the stream takes no device secret in its URL (URLs end up in logs); only a conversation token', async () => {
    const lobby = await start();
    expect(await upgrade(streamOf(lobby.conversationId, `t=${encodeURIComponent(LOBBY_SECRET)}`))).to.equal(401);
  });

  it("starting with another device's token for an existing conversation does not hand it over", async () => {
    const lobby = await start();
    const plantToken = issuer.issue({ dev: 'plant-sz-1', conv: lobby.conversationId, user: 'dl_intruder' });
    const taken = await call(`${base}/conversations`, 'POST', plantToken, {});
    expect(taken.status).to.equal(404);
    expect(taken.body).to.not.have.property('streamUrl');
    const read = await call(`${base}/conversations/${lobby.conversationId}/activities`, 'GET', plantToken);
    expect(read.status).to.equal(404);
  });
});
