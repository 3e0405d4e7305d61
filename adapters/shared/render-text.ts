import type { Activity, Attachment, CardAction } from 'botbuilder';
import { numberedChoices, type ChoiceWording } from './choices.js';
import { stripMarkdown, toWhatsappFormatting } from './markdown.js';
import { splitText } from './split-text.js';

/** What a text-only chat app can show; one object per channel drives every fallback. */
export interface TextCapabilities {
  /** Longest message the app takes, in characters; longer replies are split at sentence ends. */
  readonly maxTextLength: number;
  /** plain: markdown stripped (WeChat); whatsapp: `*bold*`, `_italic_`, `~strike~`. */
  readonly formatting: 'plain' | 'whatsapp';
  /** Rich cards and buttons: none of our text channels has them, so cards fall back to text and numbered choices. */
  readonly cards: false;
  readonly buttons: false;
}

export interface RenderedText<Message = string> {
  /** The messages to send, in order, each within `maxTextLength`. */
  readonly texts: Message[];
  /** The choices offered, in the numbered order shown; the adapter recognises replies against them. */
  readonly choices: CardAction[];
}

/**
 * An outgoing Activity as text messages: its text (formatted for the app), the text of its
 * cards, and its choices (suggested actions or card buttons) as a numbered list
 * (card → buttons → numbered list, falling to the last since these apps have neither).
 */
export function renderText(
  activity: Partial<Activity>,
  capabilities: TextCapabilities,
  wording: ChoiceWording,
  // False when the channel shows the choices natively (WhatsApp Cloud API buttons and lists).
  { numberChoices = true }: { numberChoices?: boolean } = {},
): RenderedText {
  if (activity.type !== undefined && activity.type !== 'message') return { texts: [], choices: [] };
  const format = capabilities.formatting === 'whatsapp' ? toWhatsappFormatting : stripMarkdown;
  const parts: string[] = [];
  const choices: CardAction[] = [];
  if (activity.text) parts.push(format(activity.text));
  for (const attachment of activity.attachments ?? []) {
    const card = cardText(attachment);
    if (card.text) parts.push(format(card.text));
    choices.push(...card.actions);
  }
  choices.push(...(activity.suggestedActions?.actions ?? []));
  const offered = choices.filter((action) => action.type !== 'openUrl' && action.type !== 'call');
  const links = choices.filter((action) => action.type === 'openUrl' || action.type === 'call');
  for (const link of links) parts.push(`${link.title ?? ''} ${String(link.value)}`.trim());
  const texts = parts.length > 0 ? splitText(parts.join('\n\n'), capabilities.maxTextLength) : [];
  if (offered.length > 0 && numberChoices) {
    const list = numberedChoices(offered, wording);
    const last = texts.at(-1);
    if (last !== undefined && last.length + 2 + list.length <= capabilities.maxTextLength) texts[texts.length - 1] = `${last}\n\n${list}`;
    else texts.push(...splitText(list, capabilities.maxTextLength));
  }
  return { texts, choices: offered };
}

interface CardContent {
  title?: unknown;
  subtitle?: unknown;
  text?: unknown;
  fallbackText?: unknown;
  speak?: unknown;
  buttons?: unknown;
  actions?: unknown;
}

/** Hero/thumbnail cards: title, subtitle, text and buttons; Adaptive Cards: their fallback text and submit actions. */
function cardText(attachment: Attachment): { text: string; actions: CardAction[] } {
  const content = (attachment.content ?? {}) as CardContent;
  const strings = [content.title, content.subtitle, content.text].filter((value): value is string => typeof value === 'string' && value !== '');
  if (strings.length === 0) {
    const fallback = [content.fallbackText, content.speak].find((value): value is string => typeof value === 'string' && value !== '');
    if (fallback) strings.push(fallback);
  }
  if (strings.length === 0 && typeof attachment.contentUrl === 'string') strings.push(attachment.name ? `${attachment.name} ${attachment.contentUrl}` : attachment.contentUrl);
  const buttons = Array.isArray(content.buttons) ? (content.buttons as CardAction[]) : [];
  const submits = Array.isArray(content.actions)
    ? (content.actions as { type?: string; title?: string; data?: unknown }[])
        .filter((action) => action.type === 'Action.Submit' && action.title)
        .map((action): CardAction => ({ type: 'imBack', title: action.title ?? '', value: typeof action.data === 'string' ? action.data : (action.title ?? '') }))
    : [];
  return { text: strings.join('\n'), actions: [...buttons, ...submits] };
}
