/**
 * One message of `POST /{phone-number-id}/messages` without its envelope
 * (`messaging_product`, `recipient_type`, `to`: the client adds them).
 */
export type CloudOutgoing =
  | { readonly type: 'text'; readonly text: { readonly body: string; readonly preview_url: false } }
  | { readonly type: 'interactive'; readonly interactive: CloudInteractive };

export type CloudInteractive =
  | {
      readonly type: 'button';
      readonly body: { readonly text: string };
      readonly action: { readonly buttons: readonly { readonly type: 'reply'; readonly reply: { readonly id: string; readonly title: string } }[] };
    }
  | {
      readonly type: 'list';
      readonly body: { readonly text: string };
      readonly action: { readonly button: string; readonly sections: readonly { readonly rows: readonly { readonly id: string; readonly title: string }[] }[] };
    };

/** A template message of `POST /{phone-number-id}/messages`, envelope left to the client. */
export interface CloudTemplateMessage {
  readonly type: 'template';
  readonly template: {
    readonly name: string;
    readonly language: { readonly code: string };
    readonly components: readonly { readonly type: 'body'; readonly parameters: readonly { readonly type: 'text'; readonly text: string }[] }[];
  };
}

/** What the channel sends: a session message, or a template outside the 24-hour window. */
export type CloudSendable = CloudOutgoing | CloudTemplateMessage;
