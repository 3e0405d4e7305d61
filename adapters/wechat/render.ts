import type { Activity } from 'botbuilder';
import type { ChoiceWording } from '../shared/choices.js';
import { renderText, type RenderedText, type TextCapabilities } from '../shared/render-text.js';

/**
 * What WeChat can show: plain text only (no markdown, no buttons). Its hard limit is about
 * 2,048 characters per text message; we split well under it so a reply stays readable on a phone.
 */
export const WECHAT_CAPABILITIES: TextCapabilities = { maxTextLength: 1500, formatting: 'plain', cards: false, buttons: false };

/** An outgoing Activity as WeChat text messages: markdown stripped, choices numbered, split at sentence ends. */
export function renderForWechat(activity: Partial<Activity>, wording: ChoiceWording, capabilities = WECHAT_CAPABILITIES): RenderedText {
  return renderText(activity, capabilities, wording);
}
