import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { toSupportedLocale } from '../../src/bot/middleware.js';
import type { Locale } from '../../src/config.js';
import type { KioskConversation } from './store/conversation-store.js';

const postedSchema = z.object({
  // endOfConversation: the visitor left (the kiosk page's idle reset or "start over"); it ends a wait for a person.
  type: z.enum(['message', 'event', 'typing', 'endOfConversation'], { message: 'expected "message", "event", "typing" or "endOfConversation"' }),
  text: z.string().optional(),
  locale: z.string().max(35).optional(),
  name: z.string().max(100).optional(),
  value: z.unknown().optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  attachments: z.array(z.unknown()).max(0, 'attachments are not supported on this channel').optional(),
  from: z.object({ id: z.string().optional(), name: z.string().max(100).optional() }).loose().optional(),
});

/** A failure's `tooLarge` marks a size the client must shrink (413) rather than a malformed activity (400). */
export type ParsedActivity = { ok: true; activity: Partial<Activity>; chosenLocale: Locale | undefined } | { ok: false; message: string; tooLarge?: boolean };

export interface KioskEndpoint {
  readonly serviceUrl: string;
  readonly botId: string;
  readonly botName: string;
  /** Longest text accepted at all (413 beyond); the bot core truncates at MAX_INBOUND_TEXT_CHARS. */
  readonly maxTextLength: number;
}

/**
 * A Direct Line client's posted activity → the Activity the bot sees. The sender is always the
 * token's user (clients cannot speak for someone else); `channelData.chosenLocale` carries the
 * language the visitor tapped on the kiosk.
 */
export function toActivity(body: unknown, conversation: KioskConversation, endpoint: KioskEndpoint, now: Date): ParsedActivity {
  const parsed = postedSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `Malformed activity: ${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'expected an object'}` };
  }
  const posted = parsed.data;
  if (posted.type === 'message' && !posted.text?.trim() && posted.value === undefined) {
    return { ok: false, message: 'Malformed activity: a message needs "text" (or a "value")' };
  }
  if ((posted.text?.length ?? 0) > endpoint.maxTextLength) {
    return { ok: false, tooLarge: true, message: `Activity text has ${posted.text!.length} characters; at most ${endpoint.maxTextLength} are accepted` };
  }
  if (posted.type === 'event' && !posted.name) return { ok: false, message: 'Malformed activity: an event needs a "name"' };
  for (const [field, data] of [['value', posted.value], ['channelData', posted.channelData]] as const) {
    const problem = jsonProblem(data);
    if (problem) return { ok: false, tooLarge: problem.tooLarge, message: `Malformed activity: ${field} ${problem.message}` };
  }
  const chosen = posted.channelData?.chosenLocale;
  const chosenLocale = typeof chosen === 'string' ? toSupportedLocale(chosen) : undefined;
  const activity: Partial<Activity> = {
    type: posted.type,
    channelId: 'directline',
    serviceUrl: endpoint.serviceUrl,
    timestamp: now,
    localTimestamp: now,
    from: { id: conversation.userId, name: posted.from?.name ?? conversation.userName ?? '', role: 'user' },
    recipient: { id: endpoint.botId, name: endpoint.botName, role: 'bot' },
    conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
    locale: toSupportedLocale(posted.locale) ?? conversation.chosenLocale ?? conversation.locale,
    ...(posted.text !== undefined ? { text: posted.text } : {}),
    ...(posted.name !== undefined ? { name: posted.name } : {}),
    ...(posted.value !== undefined ? { value: posted.value } : {}),
    ...(posted.channelData !== undefined ? { channelData: posted.channelData } : {}),
  };
  return { ok: true, activity, chosenLocale };
}

/** How deep and how large a posted `value` or `channelData` may be: a kiosk sends a few flat fields. */
export const MAX_VALUE_DEPTH = 16;
export const MAX_VALUE_CHARS = 8192;

/**
 * Why a posted JSON value cannot be kept, or undefined when it can. Checked without recursion:
 * a value nested 100,000 levels deep once made every later read of the conversation's log
 * overflow the stack (500), so nothing here may recurse on it.
 */
function jsonProblem(value: unknown): { tooLarge: boolean; message: string } | undefined {
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > MAX_VALUE_DEPTH) return { tooLarge: false, message: `is nested deeper than ${MAX_VALUE_DEPTH} levels` };
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  const size = JSON.stringify(value).length;
  return size > MAX_VALUE_CHARS ? { tooLarge: true, message: `has ${size} characters of JSON; at most ${MAX_VALUE_CHARS} are accepted` } : undefined;
}
