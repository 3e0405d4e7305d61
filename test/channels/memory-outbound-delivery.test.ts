import { expect } from 'chai';
import { MemoryOutboundDelivery } from '../../src/channels/outbound/memory-outbound-delivery.js';
import type { OutboundMessage } from '../../src/channels/outbound/outbound-delivery.js';

const message = (id: string): OutboundMessage => ({
  id,
  reference: { channelId: 'wechat-official', conversation: { id: 'o-1', isGroup: false, conversationType: 'personal', name: '' }, user: { id: 'o-1', name: '' } },
  activities: [{ type: 'message', text: 'Your agent is typing' }],
  origin: { kind: 'agent', handoffId: 'h1', messageId: id },
});

describe('in-process outbound queue: ids of enqueued messages', () => {
  it('sends a message enqueued twice once, and remembers only the most recent maxRememberedIds ids', async () => {
    const sent: string[] = [];
    const queue = new MemoryOutboundDelivery(async (outbound) => void sent.push(outbound.id), { attempts: 1, backoffMs: 1 }, 2);
    for (const id of ['m1', 'm2', 'm3', 'm3']) await queue.enqueue(message(id));
    await queue.idle();
    expect(sent).to.deep.equal(['m1', 'm2', 'm3']);

    // m1 was forgotten when m3 came: enqueued again, it is sent again (as once its BullMQ job is gone).
    await queue.enqueue(message('m3'));
    await queue.enqueue(message('m1'));
    await queue.idle();
    expect(sent).to.deep.equal(['m1', 'm2', 'm3', 'm1']);
    await queue.close();
  });
});
