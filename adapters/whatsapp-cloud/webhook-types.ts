/**
 * The WhatsApp Cloud API webhook body as far as carebot reads it (field `messages`):
 * `entry[].changes[].value` carries `messages[]` (with `contacts[]`) or `statuses[]`.
 * Fixtures in test/fixtures/whatsapp-cloud/ are this shape.
 */
export interface CloudWebhook {
  readonly object?: string;
  readonly entry?: readonly { readonly id?: string; readonly changes?: readonly CloudChange[] }[];
}

export interface CloudChange {
  readonly field?: string;
  readonly value?: CloudChangeValue;
}

export interface CloudChangeValue {
  readonly messaging_product?: string;
  readonly metadata?: { readonly display_phone_number?: string; readonly phone_number_id?: string };
  readonly contacts?: readonly { readonly wa_id?: string; readonly profile?: { readonly name?: string } }[];
  readonly messages?: readonly CloudMessage[];
  readonly statuses?: readonly CloudStatus[];
}

export interface CloudMessage {
  readonly from: string;
  readonly id: string;
  /** Unix seconds, as a string. */
  readonly timestamp: string;
  /** text, interactive, button, image, audio, video, document, sticker, location, contacts, reaction, unsupported... */
  readonly type: string;
  readonly text?: { readonly body?: string };
  readonly interactive?: {
    readonly type?: 'button_reply' | 'list_reply' | string;
    readonly button_reply?: { readonly id?: string; readonly title?: string };
    readonly list_reply?: { readonly id?: string; readonly title?: string; readonly description?: string };
  };
  /** A template's quick-reply button tapped. */
  readonly button?: { readonly payload?: string; readonly text?: string };
}

export interface CloudStatus {
  /** The wamid of the message we sent. */
  readonly id: string;
  readonly status: 'sent' | 'delivered' | 'read' | 'failed' | string;
  readonly timestamp?: string;
  readonly recipient_id?: string;
  readonly errors?: readonly { readonly code?: number; readonly title?: string; readonly message?: string; readonly error_data?: { readonly details?: string } }[];
}
