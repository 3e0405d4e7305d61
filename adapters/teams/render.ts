import type { Activity, Attachment, CardAction } from 'botbuilder';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** The key card buttons put the chosen value under; the Teams middleware turns it back into text. */
export const CHOICE_KEY = 'carebotChoice';

/**
 * Teams shows suggested actions only in personal chats and drops them after one turn; choices and
 * the CSAT survey render instead as an Adaptive Card whose buttons (`Action.Submit`) send the
 * chosen value back. Activities without choices pass unchanged.
 */
export function renderForTeams(activity: Partial<Activity>): Partial<Activity> {
  const actions: CardAction[] = activity.suggestedActions?.actions ?? [];
  if (activity.type !== 'message' || actions.length === 0) return activity;
  const card: Attachment = {
    contentType: ADAPTIVE_CARD,
    content: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.4',
      body: activity.text ? [{ type: 'TextBlock', text: activity.text, wrap: true }] : [],
      actions: actions.map((action) => {
        const value = String(action.value ?? action.title);
        const title = action.title ?? value;
        return {
          type: 'Action.Submit',
          title,
          // messageBack: Teams posts `text` as the user's message and shows `displayText` in the chat.
          data: { [CHOICE_KEY]: value, msteams: { type: 'messageBack', text: value, displayText: title } },
        };
      }),
    },
  };
  const { suggestedActions: _dropped, text, ...rest } = activity;
  return { ...rest, ...(text ? { summary: text } : {}), attachments: [...(activity.attachments ?? []), card] };
}
