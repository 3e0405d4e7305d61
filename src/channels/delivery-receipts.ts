/** Which handoff message a platform message carried (an agent's reply). */
export interface ReceiptOrigin {
  readonly handoffId: string;
  readonly messageId: string;
  readonly agentId?: string | undefined;
}

/** What a platform later said about a message it accepted (WhatsApp status webhooks). */
export interface DeliveryReceipt {
  readonly origin: ReceiptOrigin;
  readonly status: 'sent' | 'delivered' | 'read' | 'failed';
  readonly error?: string | undefined;
}

export type ReceiptListener = (receipt: DeliveryReceipt) => Promise<void>;

/**
 * Delivery receipts from channels to whoever tracks the messages (the handoff service, for the
 * agent console). In-process: every process runs both ends, and the handoff records live in the
 * shared store, so a receipt arriving at any process updates the one record.
 */
export class DeliveryReceipts {
  private readonly listeners: ReceiptListener[] = [];

  subscribe(listener: ReceiptListener): void {
    this.listeners.push(listener);
  }

  async publish(receipt: DeliveryReceipt): Promise<void> {
    for (const listener of this.listeners) await listener(receipt);
  }
}
