import type { Activity } from 'botbuilder';
import type { ChoiceWording } from '../shared/choices.js';
import { renderText, type RenderedText, type TextCapabilities } from '../shared/render-text.js';

/**
 * What WhatsApp can show: text with its own formatting (`*bold*`, `_italic_`, `~strike~`).
 * Buttons and list messages are deprecated in whatsapp-web.js, so choices are numbered.
 * WhatsApp takes up to 65,536 characters; we split far below it for readability.
 */
export const WHATSAPP_CAPABILITIES: TextCapabilities = { maxTextLength: 4000, formatting: 'whatsapp', cards: false, buttons: false };

export function renderForWhatsapp(activity: Partial<Activity>, wording: ChoiceWording, capabilities = WHATSAPP_CAPABILITIES): RenderedText {
  return renderText(activity, capabilities, wording);
}
