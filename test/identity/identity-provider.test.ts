import { expect } from 'chai';
import { TestAdapter, TurnContext } from 'botbuilder';
import { setChannelIdentity } from '../../src/channels/channel-identity.js';
import { DirectoryIdentityProvider } from '../../src/identity/directory-identity-provider.js';

function context(from: { id: string; properties?: Record<string, unknown> }, channelId = 'wechat'): TurnContext {
  return new TurnContext(new TestAdapter(), { type: 'message', channelId, from: { name: 'x', ...from }, conversation: { id: 'c' } as never });
}

describe('DirectoryIdentityProvider', () => {
  const directory = new DirectoryIdentityProvider([
    { ids: [], email: 'expat@example.com', employeeType: 'foreign', city: 'shenzhen', language: 'en' },
  ]);

  it('uses what the channel adapter knows about the sender (ChannelIdentity in turn state)', async () => {
    const turn = context({ id: 'wxid_1' });
    setChannelIdentity(turn, { channelUserId: 'wxid_1', phone: '+85291234567', site: 'hk-wan-chai', city: 'hong-kong' });
    expect(await DirectoryIdentityProvider.empty().identify(turn)).to.deep.equal({ city: 'hong-kong', site: 'hk-wan-chai', language: 'zh-HK' });
  });

  it('finds a Teams user by the email the adapter looked up, and keeps the directory\'s language', async () => {
    const turn = context({ id: '29:abc' }, 'msteams');
    setChannelIdentity(turn, { channelUserId: '29:abc', email: 'Expat@Example.com', aadObjectId: 'aad-1' });
    expect(await directory.identify(turn)).to.deep.equal({ employeeType: 'foreign', city: 'shenzhen', language: 'en' });
  });

  it('falls back to identifiers carried on the Activity', async () => {
    expect(await directory.identify(context({ id: 'u1', properties: { email: 'expat@example.com' } }))).to.include({ employeeType: 'foreign' });
  });
});
