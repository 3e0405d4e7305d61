import * as Recognizers from '@microsoft/recognizers-text-suite';
import { HAN_RE, toSimplifiedSameLength } from '../chinese-script.js';
import { DEFAULT_RECOGNIZER_BUDGET_MS, type CustomEntityList, type Entity, type EntityType } from '../types.js';
import { PLACES, RELATIONS } from './gazetteer.js';
import type { GazetteerEntry } from './gazetteer.js';
import { matchGazetteer } from './match-lists.js';
import { Deadline } from './run-with-deadline.js';

// Cantonese date and money words the Chinese recognizers do not know, each replaced by a
// Mandarin word of the same length so offsets stay valid.
const CANTONESE_SAME_LENGTH: readonly [RegExp, string][] = [
  [/聽日|听日/g, '明天'],
  [/琴日|尋日|寻日/g, '昨天'],
  [/今日/g, '今天'],
  [/後日|后日/g, '后天'],
  [/前日/g, '前天'],
  [/下晝|下昼/g, '下午'],
  [/朝早/g, '早上'],
  [/晏晝|晏昼/g, '中午'],
  [/禮拜|礼拜/g, '星期'],
  [/(?<=[0-9一二三四五六七八九十百千萬万两兩半])蚊/g, '元'],
  [/(?<=[0-9一二三四五六七八九十百千萬万两兩])個鐘|(?<=[0-9一二三四五六七八九十百千萬万两兩])个钟/g, '小时'],
];

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16,
  seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
};
const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

const EN_AGE_RE = /\b(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)[- ](?:years?|yrs?)[- ]old\b/giu;
const ZH_AGE_RE = /([0-9]{1,3}|[零〇一二两兩三四五六七八九十]{1,4})\s*(?:周岁|週歲|周歲|岁|歲)/gu;

/** Parses a small Chinese numeral (0–999) like 十五, 二十三, 兩. */
export function parseChineseNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  let current = 0;
  for (const ch of s) {
    if (ch === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else if (ch === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else {
      const d = CHINESE_DIGITS[ch];
      if (d === undefined) return null;
      current = current * 10 + d;
    }
  }
  return total + current;
}

function extractAges(text: string): Entity[] {
  const out: Entity[] = [];
  for (const m of text.matchAll(EN_AGE_RE)) {
    const raw = m[1]!.toLowerCase();
    const value = NUMBER_WORDS[raw] ?? Number(raw);
    out.push({ type: 'age', text: m[0], start: m.index, end: m.index + m[0].length, value: String(value), resolution: { unit: 'year' } });
  }
  for (const m of text.matchAll(ZH_AGE_RE)) {
    const value = parseChineseNumber(m[1]!);
    if (value === null) continue;
    out.push({ type: 'age', text: m[0], start: m.index, end: m.index + m[0].length, value: String(value), resolution: { unit: 'year' } });
  }
  return out;
}

interface RecognizerResult {
  start: number;
  end: number;
  text: string;
  typeName: string;
  resolution?: Record<string, unknown>;
}

function fromRecognizer(original: string, r: RecognizerResult, offset: number): Entity | null {
  const start = offset + r.start;
  const end = offset + r.end + 1; // recognizers report an inclusive end
  let type: EntityType;
  if (r.typeName === 'number') type = 'number';
  else if (r.typeName === 'ordinal') type = 'ordinal';
  else if (r.typeName === 'percentage') type = 'percentage';
  else if (r.typeName === 'currency') type = 'amount';
  else if (r.typeName === 'age') type = 'age';
  else if (r.typeName.startsWith('datetimeV2')) type = 'datetime';
  else return null;
  const res = r.resolution ?? {};
  const resolution: Record<string, string> = {};
  let value: string;
  if (type === 'datetime') {
    const values = (res['values'] as Record<string, string>[] | undefined) ?? [];
    const first = values[values.length - 1] ?? {};
    value = first['value'] ?? first['start'] ?? first['timex'] ?? '';
    if (first['timex']) resolution['timex'] = first['timex'];
    if (first['type']) resolution['kind'] = first['type'];
    if (first['start']) resolution['start'] = first['start'];
    if (first['end']) resolution['end'] = first['end'];
  } else {
    value = String(res['value'] ?? '');
    if (res['unit'] !== undefined) resolution['unit'] = String(res['unit']);
    if (res['isoCurrency'] !== undefined) resolution['currency'] = String(res['isoCurrency']);
  }
  const entity: Entity = { type, text: original.slice(start, end), start, end, value, subtype: r.typeName };
  if (Object.keys(resolution).length > 0) entity.resolution = resolution;
  return entity;
}

/**
 * The Microsoft recognizers throw on some inputs (the Chinese date parser crashes on
 * "我10天前买的保险"): a recognizer that fails contributes nothing instead of failing the turn.
 */
function safely(recognizer: () => unknown): RecognizerResult[] {
  try {
    return recognizer() as RecognizerResult[];
  } catch {
    return [];
  }
}

type Needs = { numbers: boolean; dates: boolean; money: boolean };

function recognizeWindow(original: string, view: string, offset: number, culture: string, needs: Needs, referenceDate: Date | undefined, found: Entity[]): void {
  const add = (results: RecognizerResult[]) => {
    for (const r of results) {
      const entity = fromRecognizer(original, r, offset);
      if (entity) found.push(entity);
    }
  };
  if (needs.money && needs.numbers) {
    add(safely(() => Recognizers.recognizeCurrency(view, culture)));
    add(safely(() => Recognizers.recognizePercentage(view, culture)));
  }
  if (needs.dates) add(safely(() => Recognizers.recognizeDateTime(view, culture, undefined, referenceDate)));
  if (needs.numbers) {
    add(safely(() => Recognizers.recognizeOrdinal(view, culture)));
    add(safely(() => Recognizers.recognizeNumber(view, culture)));
  }
}

/**
 * The Microsoft recognizers are super-linear on some inputs (200 characters of "1/1/1/…" took
 * 22 s, 60 of "三点三点…" over 3 s), and no list of patterns can rule out the next one. So they
 * see the text in windows of at most WINDOW_CHARS (cut at sentence ends, else at a space), and
 * all of a message's recognizer calls share one wall-time budget: what has not finished when it
 * runs out is stopped and contributes nothing. A message under WINDOW_CHARS is one window, so
 * normal messages get exactly what the recognizers find; only pathological ones lose entities.
 */
export const WINDOW_CHARS = 256;

/** One reusable vm context for the budget (a context costs ~2 ms to create, a run in it ~0.1 ms). */
let deadline: Deadline | undefined;

/**
 * Each recognizer builds its models on first use (0.5 s and more per culture): that must never
 * happen under the budget, where it would be cut short (losing the entities, and possibly
 * leaving the library half-initialized). So the first call warms all of them up, unbudgeted.
 */
function warmUp(): Deadline {
  if (deadline) return deadline;
  const all = { numbers: true, dates: true, money: true };
  for (const [culture, samples] of WARM_UP) for (const sample of samples) recognizeWindow(sample, sample, 0, culture, all, undefined, []);
  return (deadline = new Deadline());
}

/**
 * Builds every recognizer's models now (1.6 s of CPU, several seconds on a busy machine), for
 * a process about to serve turns: otherwise the first message with a number or a date pays it,
 * and every turn queued behind it on the event loop waits as long.
 */
export function warmUpRecognizers(): void {
  warmUp();
}

/** Whether the recognizers are built (by `warmUpRecognizers` or a first message that needed them). */
export function recognizersWarm(): boolean {
  return deadline !== undefined;
}

/** Sentences that take each recognizer down its common paths (its regexes compile on first use). */
const WARM_UP: readonly [string, readonly string[]][] = [
  [
    Recognizers.Culture.English,
    [
      'my five-year-old needs $200 tomorrow at 3pm',
      'next friday at 10am, 3 March 2024, the 2nd, 10%',
      'from 9:30 to 17:00 on 2024-05-01, 1,000.50 dollars in two weeks',
    ],
  ],
  [Recognizers.Culture.Chinese, ['明天下午三点，第二，五元或百分之十', '下个月3号上午10点半转一千五百元', '2024年5月1日到5月3日，两个小时以后']],
];

/** What the recognizers found, and whether the budget stopped them before they read the whole text. */
function recognize(
  original: string,
  view: string,
  cultures: readonly string[],
  referenceDate: Date | undefined,
  budgetMs: number,
): { found: Entity[]; cutShort: boolean } {
  const found: Entity[] = [];
  const finished = warmUp().run(() => {
    for (const [start, end] of textWindows(view, WINDOW_CHARS)) {
      const window = view.slice(start, end);
      const needs = recognizerNeeds(window);
      if (!needs.numbers && !needs.dates && !needs.money) continue;
      for (const [index, culture] of cultures.entries()) {
        // The second culture (English, for a Chinese message with Latin words) reads dates only.
        recognizeWindow(original, window, start, culture, index === 0 ? needs : { numbers: false, dates: needs.dates, money: false }, referenceDate, found);
      }
    }
  }, budgetMs);
  // A call stopped midway can leave the patched library's one-entry memo of its last input
  // (patches/) holding the new input with the old output; one small call rewrites both.
  if (!finished) safely(() => Recognizers.recognizeNumber('1', Recognizers.Culture.English));
  return { found, cutShort: !finished };
}

/** [start, end) windows of at most `size` characters covering `text`, cut at a sentence end or a space where there is one. */
export function textWindows(text: string, size: number): [number, number][] {
  const windows: [number, number][] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    if (end < text.length) {
      const cut = lastBreak(text, start + Math.floor(size / 2), end);
      if (cut > start) end = cut;
      else if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    }
    windows.push([start, end]);
    start = end;
  }
  return windows;
}

const SENTENCE_END = /[.!?。！？\n]/u;

/** The position after the last sentence end (else the last space) in [from, to), or -1. */
function lastBreak(text: string, from: number, to: number): number {
  let space = -1;
  for (let i = to - 1; i >= from; i--) {
    const ch = text[i]!;
    if (SENTENCE_END.test(ch) && (ch !== '.' || /\s/u.test(text[i + 1] ?? ' '))) return i + 1;
    if (space < 0 && /\s/u.test(ch)) space = i + 1;
  }
  return space;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

// The Microsoft recognizers cost up to milliseconds per call even with the regex caching of
// patches/ (date/time 1.5–2.7 ms, currency ~0.5 ms, numbers ~0.1 ms; 11, 1.3–2.2 and
// 0.4–1 ms without), so each one only runs when the text has something it could find.
const NUMBER_TRIGGER_RE = new RegExp(
  [
    '[0-9０-９]',
    '\\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|couple|half|quarter|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\\b',
    '[零〇二三四五六七八九十百千万萬亿億两兩半第]',
    '一(?![下些直起样樣般定切])',
  ].join('|'),
  'iu',
);
// Chinese date words only count next to a numeral or a deictic (三点, 下个月, 今年, 周五):
// on their own, 点/分/时/年 mostly mean something else (一点, 部分, 时候, 年纪).
const ZH_NUMERAL = '[0-9零〇一二两兩三四五六七八九十百几幾半]';
const DATE_TRIGGER_RE = new RegExp(
  [
    "\\b(?:today|tonight|tomorrow|yesterday|morning|afternoon|evening|night|noon|midnight|weekend|weeks?|months?|years?|days?|hours?|minutes?|ago|later|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|july|august|september|october|november|december|jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec|christmas|easter|thanksgiving|halloween|valentine|o'?clock)\\b",
    '\\d\\s*[:/.-]\\s*\\d|\\b(?:19|20)\\d\\d\\b|\\d\\s*(?:(?:st|nd|rd|th|am|pm|h)\\b|[ap]\\.m\\.)',
    // "一点都不" is "not at all", not one o'clock.
    `(?![一壹][点點][都也儿兒])${ZH_NUMERAL}\\s*(?:[点點号號月年时時分秒周週天日钟鐘]|个月|個月|小时|小時|星期|礼拜|禮拜|个钟|個鐘)`,
    '[今明昨前后後去]年|[今明昨前后後]天|[今明昨前后後聽听琴尋寻]日|[这這上下本每][个個]?(?:月|周|週|星期|礼拜|禮拜)',
    '(?:星期|礼拜|禮拜|周|週)[一二三四五六日天]|周末|週末|[早晚上下中]午|早上|晚上|夜晚|凌晨|下[晝昼]|朝早|晏[晝昼]',
  ].join('|'),
  'iu',
);
const MONEY_TRIGGER_RE = /[$€£¥￥%％]|\b(?:percent|per cent|dollars?|euros?|pounds?|yuan|rmb|hkd|usd|gbp|eur|cents?|bucks?)\b|[元块塊蚊毛角]|美金|港币|港幣|人民币|人民幣|百分/iu;

/** Which of the slow recognizers could find anything in the text. */
export function recognizerNeeds(text: string): { numbers: boolean; dates: boolean; money: boolean } {
  return { numbers: NUMBER_TRIGGER_RE.test(text), dates: DATE_TRIGGER_RE.test(text), money: MONEY_TRIGGER_RE.test(text) };
}

/** True when any Microsoft number/date/currency recognizer could find anything in the text. */
export function needsRecognizers(text: string): boolean {
  const n = recognizerNeeds(text);
  return n.numbers || n.dates || n.money;
}

export interface ExtractOptions {
  customLists?: readonly CustomEntityList[];
  /** Reference "now" for relative dates (default: the current time). */
  referenceDate?: Date;
  /** Wall time all of a message's Microsoft recognizer calls may take together (default DEFAULT_RECOGNIZER_BUDGET_MS). */
  recognizerBudgetMs?: number | undefined;
}

const unify = (s: string): string => toSimplifiedSameLength(s);

const CUSTOM_ENTRIES = new WeakMap<CustomEntityList, GazetteerEntry[]>();

function customEntries(list: CustomEntityList): GazetteerEntry[] {
  let entries = CUSTOM_ENTRIES.get(list);
  if (!entries) {
    entries = Object.entries(list.values).map(([key, syns]) => ({ id: key, subtype: list.name, names: [key, ...syns] }));
    CUSTOM_ENTRIES.set(list, entries);
  }
  return entries;
}

/** The types `factsFromEntities` turns into facts: none of them comes from the Microsoft recognizers. */
const FACT_TYPES: ReadonlySet<string> = new Set<EntityType>(['age', 'place', 'relation', 'custom']);

export function isFactType(type: string): boolean {
  return FACT_TYPES.has(type);
}

export function isFactEntity(entity: Entity): boolean {
  return isFactType(entity.type);
}

/**
 * One message's entities, each kind found when first asked for and then kept: a turn that
 * never reads them (small talk, a fallback) never pays for the Microsoft recognizers (the
 * larger part of a turn's CPU), and one that reads only facts pays for them only when the
 * message holds a fact they could overlap.
 */
export class MessageEntities {
  private readonly options: ExtractOptions;
  private viewAndNeeds: { view: string; needs: Needs } | undefined;
  private cheap: Entity[] | undefined;
  private everything: Entity[] | undefined;
  private factsOnly: Entity[] | undefined;
  private stoppedAtBudget = false;

  constructor(
    private readonly text: string,
    options: ExtractOptions = {},
  ) {
    // Relative dates are read against the time the message was understood, not when first asked for.
    this.options = { ...options, referenceDate: options.referenceDate ?? new Date() };
  }

  /** The text as the matchers read it (lower case, simplified, Cantonese date words mapped), made on first use. */
  private get view(): string {
    return this.prepared().view;
  }

  private get needs(): Needs {
    return this.prepared().needs;
  }

  private prepared(): { view: string; needs: Needs } {
    if (!this.viewAndNeeds) {
      const { text } = this;
      let view = toSimplifiedSameLength(text.toLowerCase().length === text.length ? text.toLowerCase() : text);
      for (const [re, rep] of CANTONESE_SAME_LENGTH) view = view.replace(re, rep);
      this.viewAndNeeds = { view, needs: recognizerNeeds(view) };
    }
    return this.viewAndNeeds;
  }

  /** Everything `extractEntities` finds, in text order. */
  get all(): Entity[] {
    if (!this.everything) {
      const { text, view, needs, options } = this;
      const hasHan = HAN_RE.test(text);
      const cultures = hasHan ? [Recognizers.Culture.Chinese, ...(/[a-z]{3,}/i.test(text) ? [Recognizers.Culture.English] : [])] : [Recognizers.Culture.English];
      // Most messages hold no number, date or amount: they skip the recognizers (and their warm-up) altogether.
      let recognized: Entity[] = [];
      if (needs.numbers || needs.dates || needs.money) {
        const result = recognize(text, view, cultures, options.referenceDate, options.recognizerBudgetMs ?? DEFAULT_RECOGNIZER_BUDGET_MS);
        recognized = result.found;
        this.stoppedAtBudget = result.cutShort;
      }
      this.everything = resolveOverlaps([...recognized, ...this.cheapEntities()]);
    }
    return this.everything;
  }

  /**
   * Whether the recognizers ran out of their budget on this message: some number, date or
   * amount in it may be missing from `all`. False until `all` was read.
   */
  get cutShort(): boolean {
    return this.stoppedAtBudget;
  }

  /** Whether the slow recognizers have run for this message (they run at most once). */
  get recognizersRan(): boolean {
    return this.everything !== undefined && (this.needs.numbers || this.needs.dates || this.needs.money);
  }

  /**
   * The entities that state facts (ages, places, relations, custom lists): exactly `all`'s of
   * those types. Overlap resolution only ever drops entities, so a message with no such
   * candidate has none, whatever the recognizers would find.
   */
  get facts(): Entity[] {
    if (!this.factsOnly) this.factsOnly = this.everything || this.cheapEntities().length > 0 ? this.all.filter(isFactEntity) : [];
    return this.factsOnly;
  }

  /** Ages and list matches: cheap, and the only source of fact entities. */
  private cheapEntities(): Entity[] {
    if (!this.cheap) {
      const { text, view, needs, options } = this;
      const found: Entity[] = [];
      if (needs.numbers) found.push(...extractAges(text));
      found.push(...matchGazetteer(text, view, PLACES, 'place', unify));
      found.push(...matchGazetteer(text, view, RELATIONS, 'relation', unify));
      for (const list of options.customLists ?? []) {
        found.push(...matchGazetteer(text, view, customEntries(list), 'custom', unify));
      }
      this.cheap = found;
    }
    return this.cheap;
  }
}

/**
 * Entities in English, Mandarin (both scripts) and Cantonese: numbers, amounts,
 * percentages, dates and times (Microsoft recognizers, with Cantonese date and money words
 * mapped first), ages, cities and districts, family relations and caller-declared lists.
 * Offsets refer to the original text. Overlaps are resolved in favour of the longer span,
 * then of the more specific type.
 */
export function extractEntities(text: string, options: ExtractOptions | readonly CustomEntityList[] = {}): Entity[] {
  const opts: ExtractOptions = Array.isArray(options) ? { customLists: options as readonly CustomEntityList[] } : (options as ExtractOptions);
  return new MessageEntities(text, opts).all;
}

const TYPE_PRIORITY: Readonly<Record<EntityType, number>> = {
  custom: 9, age: 8, amount: 7, datetime: 6, percentage: 5, place: 4, relation: 4, ordinal: 2, number: 1,
};

function resolveOverlaps(entities: Entity[]): Entity[] {
  const sorted = [...entities].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || TYPE_PRIORITY[b.type] - TYPE_PRIORITY[a.type],
  );
  const kept: Entity[] = [];
  for (const e of sorted) {
    // Places, relations and custom lists may sit inside a datetime or number span only if they do not overlap.
    if (kept.some((k) => e.start < k.end && k.start < e.end)) continue;
    kept.push(e);
  }
  return kept.sort((a, b) => a.start - b.start);
}
