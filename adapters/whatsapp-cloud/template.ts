import type { Activity } from 'botbuilder';
import type { CloudTemplateMessage } from './message-types.js';

/** Where the adapter asks render to send an activity as a template (outside the 24-hour window). */
export interface TemplateRequest {
  readonly name: string;
  readonly languageCode: string;
}

const TEMPLATE_REQUEST = 'whatsappCloudTemplate';
/** A template's text variable takes at most 1,024 characters. */
const MAX_PARAMETER_LENGTH = 1024;

export function withTemplate(activity: Partial<Activity>, request: TemplateRequest): Partial<Activity> {
  return { ...activity, channelData: { ...(activity.channelData as object | undefined), [TEMPLATE_REQUEST]: request } };
}

export function templateRequested(activity: Partial<Activity>): TemplateRequest | undefined {
  return (activity.channelData as Record<string, TemplateRequest | undefined> | undefined)?.[TEMPLATE_REQUEST];
}

/**
 * A rendered text as the approved template: it fills the template's one body variable `{{1}}`
 * (choices travel numbered in the text; buttons cannot travel in a template).
 */
export function asTemplate(text: string, request: TemplateRequest): CloudTemplateMessage {
  // The platform refuses variables with line breaks, tabs or more than four spaces in a row.
  const flat = text.replace(/\s*[\t\n\r]+\s*/gu, ' · ').replace(/ {4,}/gu, '   ');
  const parameter = [...flat].slice(0, MAX_PARAMETER_LENGTH).join('');
  return {
    type: 'template',
    template: { name: request.name, language: { code: request.languageCode }, components: [{ type: 'body', parameters: [{ type: 'text', text: parameter }] }] },
  };
}
