import type { DeliveryReceipt } from '../../channels/delivery-receipts.js';
import type { AgentEventBus } from '../event-bus.js';
import type { OutboundDelivery, OutboundMessage } from '../../channels/outbound/outbound-delivery.js';
import type { HandoffQueue } from '../queue/handoff-queue.js';
import type { MessageDelivery } from '../types.js';

/** A message's delivery only moves forward (a late "delivered" receipt never undoes "read"). */
const DELIVERY_RANK: Readonly<Record<'pending' | MessageDelivery, number>> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * Keeps each agent message's delivery state (shown in the console) from the outbound queue's
 * outcome and the channels' later receipts.
 */
export class AgentMessageDelivery {
  constructor(
    private readonly queue: HandoffQueue,
    private readonly bus: AgentEventBus,
    outbound: OutboundDelivery,
  ) {
    outbound.listen({
      delivered: (message) => this.onOutcome(message, 'delivered'),
      failed: (message, error) => this.onOutcome(message, 'failed', error),
    });
  }

  /** A channel's later word on an agent message (WhatsApp: sent, delivered, read, failed). */
  async recordReceipt(receipt: DeliveryReceipt): Promise<void> {
    const { handoffId, messageId, agentId } = receipt.origin;
    await this.update(handoffId, messageId, agentId, receipt.status, receipt.error);
  }

  private async onOutcome(message: OutboundMessage, delivery: 'delivered' | 'failed', error?: string): Promise<void> {
    const { handoffId, messageId, agentId } = message.origin;
    if (!handoffId || !messageId) return;
    await this.update(handoffId, messageId, agentId, delivery, error);
  }

  /**
   * Receipts and the queue's own outcome arrive in any order: a state only moves forward
   * (sent → delivered → read), and failed is final and wins over anything short of it.
   */
  private async update(handoffId: string, messageId: string, agentId: string | undefined, delivery: MessageDelivery, error?: string): Promise<void> {
    const current = (await this.queue.messages(handoffId)).find((message) => message.id === messageId)?.delivery ?? 'pending';
    if (current === 'failed' || (delivery !== 'failed' && DELIVERY_RANK[delivery] <= DELIVERY_RANK[current])) return;
    await this.queue.setDelivery(handoffId, messageId, delivery, error);
    await this.bus.publish({ type: 'delivery', handoffId, agentId, messageId, delivery, error });
  }
}
