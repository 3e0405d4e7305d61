import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { createCarebot, type Carebot } from '../../src/app.js';
import { getChannelIdentity, type ChannelIdentity } from '../../src/channels/channel-identity.js';
import { loadConfig } from '../../src/config.js';
import { listen, type RunningServer } from '../../src/http/http-server.js';
import { projectRoot } from '../../src/project-root.js';
import { memoryLogger } from '../support/silent-logger.js';
import { startConnectorStub, type ConnectorStub } from '../support/connector-stub.js';

const fixture = (name: string, serviceUrl: string, overrides: Record<string, unknown> = {}): Partial<Activity> => ({
  ...(JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'teams', `${name}.json`), 'utf8')) as Partial<Activity>),
  serviceUrl,
  ...overrides,
});

describe('Microsoft Teams on /api/messages', () => {
  let carebot: Carebot;
  let running: RunningServer;
  let stub: ConnectorStub;
  const turns: { text: string | undefined; identity: ChannelIdentity | undefined; properties: unknown }[] = [];

  before(async () => {
    stub = await startConnectorStub({
      members: {
        '29:1worker-sz': { id: '29:1worker-sz', name: 'Li Wei', aadObjectId: '6f1c2a10-0000-4000-8000-00000000a001', email: 'li.wei@example.com', userPrincipalName: 'li.wei@example.com' },
      },
    });
    carebot = await createCarebot(loadConfig({ NODE_ENV: 'test', KNOWLEDGE_PACKS: 'core', KNOWLEDGE_WATCH: 'false' }), { logger: memoryLogger('silent').logger });
    carebot.bot.late.use({
      onTurn: async (context, next) => {
        const { activity } = context;
        turns.push({ text: activity.text, identity: getChannelIdentity(context), properties: structuredClone((activity.from as { properties?: unknown }).properties) });
        if (activity.text === 'show choices') {
          await context.sendActivity({
            text: 'Which city are you in?',
            suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Shenzhen 深圳', value: 'Shenzhen' }, { type: 'imBack', title: 'Hong Kong', value: 'Hong Kong' }] },
          });
          return;
        }
        await next();
      },
    });
    running = await listen(carebot.app, '127.0.0.1', 0);
  });
  after(async () => {
    await running?.close(1000);
    await carebot?.close();
    await stub?.close();
  });

  async function post(activity: Partial<Activity>): Promise<number> {
    const response = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    return response.status;
  }

  it('answers a personal chat and knows the sender: AAD object id plus email from TeamsInfo.getMember', async () => {
    const before = stub.received.length;
    expect(await post(fixture('personal-message', stub.url))).to.be.oneOf([200, 201, 202]);
    const [reply] = (await stub.waitFor(before + 1)).slice(before);
    expect(reply?.conversation?.id).to.equal('a:1personal-chat-li-wei');
    const turn = turns.at(-1)!;
    expect(turn.identity).to.deep.include({ channelUserId: '29:1worker-sz', aadObjectId: '6f1c2a10-0000-4000-8000-00000000a001', email: 'li.wei@example.com' });
    expect(turn.properties).to.deep.include({ email: 'li.wei@example.com', aadObjectId: '6f1c2a10-0000-4000-8000-00000000a001' });
    expect(stub.memberLookups).to.include('29:1worker-sz');
  });

  it('in a channel answers only when @mentioned, with the mention removed before NLU', async () => {
    const before = stub.received.length;
    const turnsBefore = turns.length;
    const unmentioned = fixture('channel-mention', stub.url, { id: 'no-mention', text: 'hello everyone', entities: [] });
    expect(await post(unmentioned)).to.be.oneOf([200, 201, 202]);
    expect(await post(fixture('channel-mention', stub.url))).to.be.oneOf([200, 201, 202]);
    const replies = (await stub.waitFor(before + 1)).slice(before);
    expect(replies.map((reply) => reply.replyToId)).to.deep.equal(['1700000000001']);
    expect(turns.slice(turnsBefore).map((turn) => turn.text)).to.deep.equal(['hello']);
  });

  it('renders choices as an Adaptive Card with Action.Submit buttons', async () => {
    const before = stub.received.length;
    await post(fixture('personal-message', stub.url, { id: 'choices-1', text: 'show choices' }));
    const [reply] = (await stub.waitFor(before + 1)).slice(before);
    expect(reply?.suggestedActions).to.equal(undefined);
    const card = reply?.attachments?.[0];
    expect(card?.contentType).to.equal('application/vnd.microsoft.card.adaptive');
    const content = card?.content as { body: { text: string }[]; actions: { type: string; title: string; data: Record<string, unknown> }[] };
    expect(content.body[0]?.text).to.equal('Which city are you in?');
    expect(content.actions.map((action) => [action.type, action.title, action.data.carebotChoice])).to.deep.equal([
      ['Action.Submit', 'Shenzhen 深圳', 'Shenzhen'],
      ['Action.Submit', 'Hong Kong', 'Hong Kong'],
    ]);
  });

  it('turns a card submit back into the chosen value as message text', async () => {
    const before = stub.received.length;
    await post(fixture('card-submit', stub.url));
    await stub.waitFor(before + 1);
    expect(turns.at(-1)!.text).to.equal('Shenzhen');
  });
});

describe('Bot Framework authentication with credentials configured', () => {
  let carebot: Carebot;
  let running: RunningServer;
  before(async () => {
    carebot = await createCarebot(
      loadConfig({ NODE_ENV: 'test', MICROSOFT_APP_ID: '00000000-0000-4000-8000-000000000001', MICROSOFT_APP_PASSWORD: 'not-a-real-secret', KNOWLEDGE_PACKS: 'core', KNOWLEDGE_WATCH: 'false' }),
      { logger: memoryLogger('silent').logger },
    );
    running = await listen(carebot.app, '127.0.0.1', 0);
  });
  after(async () => {
    await running?.close(1000);
    await carebot?.close();
  });

  for (const [name, authorization] of [
    ['no Authorization header', undefined],
    ['a garbage bearer token', 'Bearer not.a.jwt'],
    ['a non-bearer scheme', 'Basic dXNlcjpwYXNz'],
  ] as const) {
    it(`rejects ${name} with 401`, async () => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (authorization) headers.authorization = authorization;
      const response = await fetch(`${running.url}/api/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify(fixture('personal-message', 'http://127.0.0.1:9')),
      });
      expect(response.status).to.equal(401);
      expect(await response.json()).to.have.nested.property('error.code', 'UNAUTHORIZED');
    });
  }
});
