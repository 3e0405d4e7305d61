import type { Activity, CardAction } from 'botbuilder';
import { actionTitle, actionValueText, type ChoiceWording } from '../shared/choices.js';
import { renderText, type RenderedText, type TextCapabilities } from '../shared/render-text.js';
import type { CloudInteractive, CloudOutgoing, CloudTemplateMessage } from './message-types.js';
import { asTemplate, templateRequested } from './template.js';

/** The Cloud API's limits (developers.facebook.com, interactive reply buttons and list messages). */
export const CLOUD_LIMITS = {
  text: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  rows: 10,
  rowTitle: 24,
  rowId: 200,
  listButton: 20,
} as const;

/** Text with WhatsApp's own formatting (`*bold*`); choices are native, so never numbered by renderText. */
export const WHATSAPP_CLOUD_CAPABILITIES: TextCapabilities = { maxTextLength: CLOUD_LIMITS.text, formatting: 'whatsapp', cards: false, buttons: false };

/**
 * An outgoing Activity → Cloud API messages. Choices go as reply buttons (≤ 3, titles ≤ 20),
 * else as a list (≤ 10 rows, titles ≤ 24), else as a numbered list in the text; the last text
 * chunk becomes the interactive message's body. Long texts are split at sentence ends.
 */
export function renderForWhatsappCloud(activity: Partial<Activity>, wording: ChoiceWording, capabilities = WHATSAPP_CLOUD_CAPABILITIES): RenderedText<CloudOutgoing> {
  const rendered = renderText(activity, capabilities, wording, { numberChoices: false });
  const texts = [...rendered.texts];
  const { choices } = rendered;
  if (choices.length === 0) return { texts: texts.map(textMessage), choices };
  const body = texts.at(-1);
  const interactive = body !== undefined && [...body].length <= CLOUD_LIMITS.interactiveBody ? nativeChoices(body, choices, wording) : undefined;
  if (interactive) return { texts: [...texts.slice(0, -1).map(textMessage), { type: 'interactive', interactive }], choices };
  // Too many or too long for the platform's widgets: the numbered list every text channel has.
  return { texts: renderText(activity, capabilities, wording).texts.map(textMessage), choices };
}

function textMessage(body: string): CloudOutgoing {
  return { type: 'text', text: { body, preview_url: false } };
}

function nativeChoices(body: string, choices: readonly CardAction[], wording: ChoiceWording): CloudInteractive | undefined {
  const options = choices.map((choice) => ({ id: actionValueText(choice), title: actionTitle(choice) }));
  // The id comes back in the webhook when tapped: it must tell the options apart.
  if (new Set(options.map((option) => option.id)).size !== options.length || options.some((option) => option.id === '')) return undefined;
  const fits = (maxTitle: number, maxId: number) => options.every((option) => [...option.title].length <= maxTitle && [...option.id].length <= maxId);
  if (options.length <= CLOUD_LIMITS.buttons && fits(CLOUD_LIMITS.buttonTitle, CLOUD_LIMITS.buttonId)) {
    return { type: 'button', body: { text: body }, action: { buttons: options.map((reply) => ({ type: 'reply', reply })) } };
  }
  if (options.length <= CLOUD_LIMITS.rows && fits(CLOUD_LIMITS.rowTitle, CLOUD_LIMITS.rowId)) {
    const button = [...(wording.menu ?? 'Options')].slice(0, CLOUD_LIMITS.listButton).join('');
    return { type: 'list', body: { text: body }, action: { button, sections: [{ rows: options }] } };
  }
  return undefined;
}


/**
 * The channel's render: session messages, or, when the adapter marked the activity for a
 * template (outside the window), each text as the template with the choices numbered in it.
 */
export function renderCloudMessages(activity: Partial<Activity>, wording: ChoiceWording, capabilities = WHATSAPP_CLOUD_CAPABILITIES): RenderedText<CloudOutgoing | CloudTemplateMessage> {
  const template = templateRequested(activity);
  if (!template) return renderForWhatsappCloud(activity, wording, capabilities);
  const rendered = renderText(activity, capabilities, wording);
  return { texts: rendered.texts.map((body) => asTemplate(body, template)), choices: rendered.choices };
}
