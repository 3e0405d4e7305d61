import type { Activity } from 'botbuilder';

const MAX_SPEAK_CHARS = 300;

/**
 * What a kiosk receives for one outgoing activity: the activity itself plus `speak` (short,
 * plain, no URLs or markdown, for the robot's text-to-speech), `inputHint` and the `locale`.
 */
export function renderForKiosk(activity: Partial<Activity>, fallbackLocale: string): Partial<Activity> {
  if (activity.type !== undefined && activity.type !== 'message') return { ...activity };
  const hasChoices = (activity.suggestedActions?.actions?.length ?? 0) > 0;
  const speakSource = activity.speak ?? activity.text ?? '';
  const speak = toSpeech(speakSource);
  return {
    ...activity,
    type: 'message',
    locale: activity.locale ?? fallbackLocale,
    ...(speak ? { speak } : {}),
    inputHint: activity.inputHint ?? (hasChoices ? 'expectingInput' : 'acceptingInput'),
  };
}

/** Plain, short text for speech: SSML tags, URLs and markdown removed; cut at a sentence end. */
export function toSpeech(text: string): string {
  let plain = text
    .replace(/<[^>]+>/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\b(?:https?|ftp):\/\/\S+/gi, ' ')
    .replace(/\bwww\.\S+/gi, ' ')
    .replace(/^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|~~|`+)/g, '')
    .replace(/(^|\s)[*_](\S[^*_]*\S|\S)[*_](?=\s|$|[.,!?。，！？])/g, '$1$2')
    .replace(/[ \t]*\n+[ \t]*/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
  if (plain.length <= MAX_SPEAK_CHARS) return plain;
  const head = plain.slice(0, MAX_SPEAK_CHARS);
  const end = Math.max(...['. ', '! ', '? ', '。', '！', '？'].map((mark) => head.lastIndexOf(mark)));
  plain = end > MAX_SPEAK_CHARS / 3 ? head.slice(0, end + 1) : `${head.slice(0, head.lastIndexOf(' ') > 0 ? head.lastIndexOf(' ') : MAX_SPEAK_CHARS)}…`;
  return plain.trim();
}
