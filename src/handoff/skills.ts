import { readFileSync } from 'node:fs';
import isSafeRegex from 'safe-regex2';
import { parse } from 'yaml';
import { z } from 'zod';
import { SUPPORTED_LOCALES, type Locale } from '../config.js';
import { ConfigError } from '../errors.js';

const localized = z.union([z.string().min(1), z.partialRecord(z.enum(SUPPORTED_LOCALES), z.string().min(1))]);

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Longer answers fail a field's pattern before it runs: a field is a number, an id, a short choice. */
const PATTERN_ANSWER_MAX_CHARS = 256;

/** Whether a (trimmed) answer fills a field: any answer without a pattern, a short one that matches with one. */
export function fieldAccepts(field: Pick<SkillField, 'pattern'>, answer: string): boolean {
  if (answer === '') return false;
  return !field.pattern || (answer.length <= PATTERN_ANSWER_MAX_CHARS && new RegExp(field.pattern, 'u').test(answer));
}

const fieldSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_]+$/, 'expected letters, digits or "_"'),
  prompt: localized,
  /** What the console calls the answer (e.g. "Account type"); the id when left out. */
  label: localized.optional(),
  /**
   * A regular expression the answer must match (after trimming). Customers type the answers, so
   * a pattern with nested repetition (`(a+)+`), which can take exponential time, is refused.
   */
  pattern: z
    .string()
    .refine(compiles, 'not a valid regular expression (it is used with the "u" flag)')
    .refine((pattern) => !compiles(pattern) || isSafeRegex(pattern), 'nested repetition such as (a+)+ can take exponential time on some answers; rewrite it without a repeated group that repeats')
    .optional(),
  invalid: localized.optional(),
});

const hoursSchema = z.object({
  timezone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'expected an IANA time zone such as Asia/Hong_Kong'),
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
  open: z.string().regex(/^\d{2}:\d{2}$/, 'expected HH:MM'),
  close: z.string().regex(/^\d{2}:\d{2}$/, 'expected HH:MM'),
});

const skillSchema = z.object({
  name: localized.optional(),
  fields: z.array(fieldSchema).default([]),
  hours: hoursSchema.optional(),
});

const fileSchema = z.object({
  skills: z.record(z.string().regex(/^[a-z0-9_]+$/, 'skill ids are lower-case letters, digits or "_"'), skillSchema).default({}),
  /** Intent → skill, for intents whose content does not name a skill itself. */
  intents: z.record(z.string(), z.string()).default({}),
});

export type SkillField = z.infer<typeof fieldSchema>;
export type WorkingHours = z.infer<typeof hoursSchema>;
export type Skill = z.infer<typeof skillSchema> & { readonly id: string };
export type Localized = z.infer<typeof localized>;

export interface SkillCatalog {
  readonly skills: ReadonlyMap<string, Skill>;
  readonly intents: Readonly<Record<string, string>>;
}

export const DEFAULT_SKILL = 'general';

export function parseSkillCatalog(text: string, source = 'skills'): SkillCatalog {
  const parsed = fileSchema.safeParse(parse(text) ?? {});
  if (!parsed.success) {
    throw new ConfigError(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const skills = new Map<string, Skill>(Object.entries(parsed.data.skills).map(([id, skill]) => [id, { ...skill, id }]));
  if (!skills.has(DEFAULT_SKILL)) skills.set(DEFAULT_SKILL, { id: DEFAULT_SKILL, fields: [] });
  for (const [intent, skill] of Object.entries(parsed.data.intents)) {
    if (!skills.has(skill)) throw new ConfigError(`${source}: intents.${intent} names unknown skill "${skill}"`);
  }
  return { skills, intents: parsed.data.intents };
}

/** What the skills file's `intents:` mapping is checked against: the loaded packs and their intents. */
export interface LoadedIntents {
  readonly packs: readonly { readonly id: string }[];
  readonly intents: readonly { readonly id: string; readonly pack: string }[];
}

/**
 * Problems with the `intents:` mapping: an intent of a loaded pack that does not exist (a typo
 * such as `bank.card_lost` for `bank.lost_card` silently skips that skill's pre-screening and
 * routing). Intents of packs that are not loaded are not checked: one skills file serves
 * deployments with different `KNOWLEDGE_PACKS`.
 */
export function intentMappingProblems(catalog: SkillCatalog, loaded: LoadedIntents, source = 'skills'): string[] {
  const packs = new Set(loaded.packs.map((pack) => pack.id));
  const known = new Set(loaded.intents.map((intent) => intent.id));
  const problems: string[] = [];
  for (const intent of Object.keys(catalog.intents)) {
    const pack = loaded.intents.find((candidate) => intent.startsWith(`${candidate.pack}.`))?.pack ?? intent.split('.')[0]!;
    if (!packs.has(pack) || known.has(intent)) continue;
    const sameSkillWords = intent.slice(pack.length + 1).split('_').sort().join('_');
    const suggestion = loaded.intents.find(
      (candidate) => candidate.pack === pack && candidate.id.slice(pack.length + 1).split('_').sort().join('_') === sameSkillWords,
    );
    problems.push(`${source}: intents.${intent} is not an intent of pack "${pack}"${suggestion ? ` (did you mean ${suggestion.id}?)` : ''}`);
  }
  return problems;
}

export function loadSkillCatalog(file: string | undefined): SkillCatalog {
  if (!file) return parseSkillCatalog('{}');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`HANDOFF_SKILLS_FILE=${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseSkillCatalog(text, file);
}

export function localize(text: Localized | undefined, locale: Locale, fallback = ''): string {
  if (text === undefined) return fallback;
  if (typeof text === 'string') return text;
  const order: Locale[] = locale === 'zh-HK' ? ['zh-HK', 'zh-TW', 'zh-CN', 'en'] : locale === 'zh-TW' ? ['zh-TW', 'zh-HK', 'zh-CN', 'en'] : [locale, 'en', 'zh-CN'];
  for (const candidate of order) if (text[candidate]) return text[candidate];
  return Object.values(text)[0] ?? fallback;
}

function localParts(at: number, timeZone: string): { weekday: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { weekday, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether a skill's agents work at `at` (no hours configured = always open). */
export function isOpen(hours: WorkingHours | undefined, at: number): boolean {
  if (!hours) return true;
  const { weekday, minutes } = localParts(at, hours.timezone);
  return hours.days.includes(weekday) && minutes >= toMinutes(hours.open) && minutes < toMinutes(hours.close);
}

/** The next moment the skill opens, to the minute. */
export function nextOpening(hours: WorkingHours, at: number): number {
  const { weekday, minutes } = localParts(at, hours.timezone);
  const open = toMinutes(hours.open);
  for (let day = 0; day <= 7; day++) {
    const candidateWeekday = ((weekday - 1 + day) % 7) + 1;
    if (!hours.days.includes(candidateWeekday)) continue;
    if (day === 0 && minutes >= open) continue;
    const approx = at + (day * 24 * 60 + open - minutes) * 60_000;
    // Correct for a DST change in between by re-reading the local clock at the estimate.
    const check = localParts(approx, hours.timezone);
    return Math.floor((approx + (open - check.minutes) * 60_000) / 60_000) * 60_000;
  }
  return at;
}

/** "Monday 09:00 (Asia/Hong_Kong)" in the customer's language. */
export function describeOpening(hours: WorkingHours, at: number, locale: Locale): string {
  const opening = nextOpening(hours, at);
  const text = new Intl.DateTimeFormat(locale, { timeZone: hours.timezone, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(opening);
  return `${text} (${hours.timezone})`;
}
