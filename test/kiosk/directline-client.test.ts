import { createRequire } from 'node:module';
import { expect } from 'chai';
import { DirectLine, ConnectionStatus, type Activity as DirectLineActivity } from 'botframework-directlinejs';
import { WebSocket } from 'ws';
import { call, LOBBY_SECRET, startKioskServer, type KioskServer } from './support/kiosk-server.js';

// botframework-directlinejs is a browser library: in Node it needs the browser's XMLHttpRequest
// (rxjs ajax) and WebSocket globals. The library itself is used unchanged.
const require = createRequire(import.meta.url);
type Activity = DirectLineActivity & { text?: string; locale?: string; speak?: string };
const globals = globalThis as Record<string, unknown>;

describe('botframework-directlinejs against the kiosk API (the official client, unchanged)', () => {
  let server: KioskServer;
  const saved = { XMLHttpRequest: globals.XMLHttpRequest, WebSocket: globals.WebSocket };

  before(async () => {
    globals.XMLHttpRequest = require('xhr2') as unknown;
    globals.WebSocket = WebSocket;
    server = await startKioskServer();
  });
  after(async () => {
    globals.XMLHttpRequest = saved.XMLHttpRequest;
    globals.WebSocket = saved.WebSocket;
    await server?.close();
  });

  async function converse(webSocket: boolean): Promise<Activity[]> {
    const generated = await call(`${server.url}/v3/directline/tokens/generate`, 'POST', LOBBY_SECRET, {});
    const directLine = new DirectLine({
      token: generated.body.token as string,
      domain: `${server.url}/v3/directline`,
      webSocket,
      pollingInterval: 200,
    });
    const seen: Activity[] = [];
    const botMessages = (count: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${JSON.stringify(seen.map((a) => a.text))}`)), 10_000);
        const check = () => {
          if (seen.filter((a) => a.from.id === 'carebot' && a.type === 'message').length >= count) {
            clearTimeout(timer);
            resolve();
          }
        };
        subscription.add(directLine.activity$.subscribe(check));
        check();
      });
    const subscription = directLine.activity$.subscribe((activity) => seen.push(activity as Activity));
    const statuses: ConnectionStatus[] = [];
    subscription.add(directLine.connectionStatus$.subscribe((status) => statuses.push(status)));
    try {
      await botMessages(1);
      const conversationId = (directLine as unknown as { conversationId: string }).conversationId;
      expect(conversationId).to.equal(generated.body.conversationId);
      const id = await new Promise<string>((resolve, reject) => {
        directLine.postActivity({ type: 'message', from: { id: 'visitor' }, text: 'Hello', channelData: { chosenLocale: 'en' } } as DirectLineActivity).subscribe(resolve, reject);
      });
      expect(id).to.match(new RegExp(`^${conversationId}\\|`));
      await botMessages(2);
      expect(statuses).to.include(ConnectionStatus.Online);
      return seen;
    } finally {
      subscription.unsubscribe();
      directLine.end();
    }
  }

  it('holds a conversation over the WebSocket stream', async () => {
    const activities = await converse(true);
    const replies = activities.filter((a) => a.from.id === 'carebot');
    expect(replies[0]!.locale).to.equal('zh-HK');
    expect(replies[1]!.locale).to.equal('en');
    expect((replies[1] as { speak?: string }).speak).to.be.a('string');
    expect(activities.some((a) => a.text === 'Hello' && a.from.id !== 'carebot'), 'its own message echoed back').to.equal(true);
  });

  it('holds a conversation over polling with watermarks', async () => {
    const activities = await converse(false);
    const ids = activities.map((a) => a.id);
    expect(new Set(ids).size, 'no activity delivered twice').to.equal(ids.length);
    expect(activities.filter((a) => a.from.id === 'carebot')).to.have.length(2);
  });
});
