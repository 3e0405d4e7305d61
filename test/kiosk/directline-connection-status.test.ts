import { createRequire } from 'node:module';
import { expect } from 'chai';
import { ConnectionStatus, DirectLine, type Activity } from 'botframework-directlinejs';
import { WebSocket } from 'ws';
import { call, LOBBY_SECRET, startKioskServer, type KioskServer } from './support/kiosk-server.js';

// botframework-directlinejs is a browser library: in Node it needs the browser's XMLHttpRequest and WebSocket.
const require = createRequire(import.meta.url);
const globals = globalThis as Record<string, unknown>;

/**
 * What botframework-directlinejs reports when carebot can no longer serve its conversation: the
 * ConnectionStatus an embedding app watches to renew (README: Web Chat embed), as with Azure.
 */
describe('botframework-directlinejs ConnectionStatus for expired tokens and lost conversations', function () {
  this.timeout(30_000);
  const saved = { XMLHttpRequest: globals.XMLHttpRequest, WebSocket: globals.WebSocket };
  const servers: KioskServer[] = [];
  let directLine: DirectLine | undefined;

  before(() => {
    globals.XMLHttpRequest = require('xhr2') as unknown;
    globals.WebSocket = WebSocket;
  });
  after(() => {
    globals.XMLHttpRequest = saved.XMLHttpRequest;
    globals.WebSocket = saved.WebSocket;
  });
  afterEach(async () => {
    directLine?.end();
    directLine = undefined;
    while (servers.length) await servers.pop()!.close();
  });

  async function serve(env: Record<string, string> = {}, port?: number): Promise<KioskServer> {
    const server = await startKioskServer(env, { port });
    servers.push(server);
    return server;
  }

  /** A polling client online in a conversation; resolves with the statuses it reports from now on. */
  async function online(server: KioskServer): Promise<{ statuses: ConnectionStatus[]; conversationId: string }> {
    const generated = await call(`${server.url}/v3/directline/tokens/generate`, 'POST', LOBBY_SECRET, {});
    directLine = new DirectLine({ token: generated.body.token as string, domain: `${server.url}/v3/directline`, webSocket: false, pollingInterval: 200 });
    const statuses: ConnectionStatus[] = [];
    directLine.connectionStatus$.subscribe((status) => statuses.push(status));
    const greeted = new Promise<void>((resolve) => {
      // The stream errors once the conversation ends: the status says so; nothing to throw here.
      directLine!.activity$.subscribe(
        (activity: Activity) => {
          if (activity.from.id === 'carebot') resolve();
        },
        () => undefined,
      );
    });
    await greeted;
    return { statuses, conversationId: generated.body.conversationId as string };
  }

  const reported = async (statuses: ConnectionStatus[], status: ConnectionStatus) => {
    for (let attempt = 0; attempt < 400 && !statuses.includes(status); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    return statuses.includes(status);
  };

  it('ExpiredToken once the token lapsed; the app renews it for the same conversation (secret-side GET) and goes on', async () => {
    const server = await serve({ KIOSK_TOKEN_TTL_SECONDS: '2' });
    const { statuses, conversationId } = await online(server);
    expect(await reported(statuses, ConnectionStatus.ExpiredToken), `statuses ${statuses.join(',')}`).to.equal(true);

    const renewed = await call(`${server.url}/v3/directline/conversations/${conversationId}`, 'GET', LOBBY_SECRET);
    directLine!.reconnect(renewed.body as never);
    expect(statuses.at(-1)).to.equal(ConnectionStatus.Online);
    const id = await new Promise<string>((resolve, reject) => {
      directLine!.postActivity({ type: 'message', from: { id: 'visitor' }, text: 'Hello' } as Activity).subscribe(resolve, reject);
    });
    expect(id).to.match(new RegExp(`^${conversationId}\\|`));
  });

  it('ExpiredToken after a restart under another token key (a 403, not a 401 it would retry)', async () => {
    const first = await serve();
    const port = Number(new URL(first.url).port);
    const { statuses } = await online(first);
    await servers.pop()!.close();
    await serve({ KIOSK_TOKEN_SECRET: 'a-different-kiosk-token-secret-0123456789' }, port);
    expect(await reported(statuses, ConnectionStatus.ExpiredToken), `statuses ${statuses.join(',')}`).to.equal(true);
  });

  it('Ended when a restart lost the conversation (404): the app starts a new one', async () => {
    const first = await serve();
    const port = Number(new URL(first.url).port);
    const { statuses } = await online(first);
    await servers.pop()!.close();
    await serve({}, port);
    expect(await reported(statuses, ConnectionStatus.Ended), `statuses ${statuses.join(',')}`).to.equal(true);
  });
});
