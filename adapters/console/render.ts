import type { Activity, CardAction } from 'botbuilder';

/** What the terminal shows for one outgoing activity: its text, then its choices numbered. */
export function renderForConsole(activity: Partial<Activity>): string[] {
  if (activity.type !== undefined && activity.type !== 'message') return [];
  const lines: string[] = [];
  if (activity.text) lines.push(...activity.text.split('\n'));
  const actions: CardAction[] = activity.suggestedActions?.actions ?? [];
  actions.forEach((action, index) => lines.push(`  ${index + 1}. ${action.title ?? String(action.value)}`));
  return lines;
}
