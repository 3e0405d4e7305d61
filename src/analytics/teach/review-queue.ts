import type { ContentSnapshot } from '../../bot/turn-content.js';
import type { LocalizedText } from '../../knowledge/types.js';
import { clusterMessages } from '../topics/cluster.js';
import { topicTerms } from '../topics/tokenize.js';
import type { TurnEvent } from '../types.js';

/**
 * Why a message is up for review: the bot did not understand it (`fallback`, `out-of-scope`),
 * asked "did you mean" and the user turned every offer down (`rejected`) or did not pick one
 * (`unsure`), or answered on a weak guess (`low-confidence`).
 */
export type MissKind = 'fallback' | 'out-of-scope' | 'rejected' | 'unsure' | 'low-confidence';

/** An answered intent below this confidence is worth a look. */
export const LOW_CONFIDENCE = 0.5;

export interface IntentSuggestion {
  readonly intent: string;
  readonly confidence: number;
  readonly titles: LocalizedText;
}

export interface ReviewItem {
  /** The message as stored (personal data already redacted), in the language the user wrote. */
  readonly text: string;
  readonly locale: string;
  readonly kind: MissKind;
  /** How many times users sent this exact text in the period. */
  readonly count: number;
  readonly lastAt: number;
  /** The current model's best intents for the text, best first. */
  readonly suggestions: readonly IntentSuggestion[];
}

export interface ReviewGroup {
  readonly id: string;
  /** The group's heaviest terms, e.g. "card · swallowed · machine". */
  readonly label: string;
  readonly items: readonly ReviewItem[];
}

/** The kind of miss of a turn the bot held, or undefined when it understood the message. */
export function missOf(turn: TurnEvent): MissKind | undefined {
  if (turn.mode !== 'bot' || !turn.text.trim()) return undefined;
  if (turn.fallback) return 'fallback';
  if (turn.outOfScope) return 'out-of-scope';
  if (turn.ambiguous && turn.answerId === null) return 'unsure';
  if (turn.answerId !== null && turn.confidence !== null && turn.confidence < LOW_CONFIDENCE && !turn.intent?.startsWith('core.')) return 'low-confidence';
  return undefined;
}

/**
 * The review screen's work list: missed messages of the period that no operator has decided
 * on yet, one item per distinct text, grouped like hot topics (by shared terms, across
 * languages), the biggest groups first, each item with the model's suggestions.
 */
export interface ReviewOptions {
  readonly limit?: number;
  readonly itemsPerGroup?: number;
  readonly maxTexts?: number;
  readonly suggestions?: number;
  /** The "neither" / "no" choice titles in every locale (compared lower-cased): a reply, not a question. */
  readonly rejections?: ReadonlySet<string>;
}

/**
 * A "did you mean" turned down: the user's next message in the conversation is not understood
 * and is a choice reply (a rejection title, or an option number), not a new question.
 */
function rejectionsOf(turns: readonly TurnEvent[], rejections: ReadonlySet<string>): { rejected: Set<TurnEvent>; replies: Set<TurnEvent> } {
  const rejected = new Set<TurnEvent>();
  const replies = new Set<TurnEvent>();
  const previous = new Map<string, TurnEvent>();
  for (const turn of [...turns].sort((a, b) => a.at - b.at)) {
    const before = previous.get(turn.conversation);
    previous.set(turn.conversation, turn);
    if (!before || missOf(before) !== 'unsure' || !turn.fallback) continue;
    const reply = turn.text.trim().toLowerCase();
    if (rejections.has(reply) || /^\d{1,2}$/.test(reply)) {
      rejected.add(before);
      replies.add(turn);
    }
  }
  return { rejected, replies };
}

export function reviewGroups(turns: readonly TurnEvent[], decided: ReadonlySet<string>, content: ContentSnapshot, options: ReviewOptions = {}): ReviewGroup[] {
  const { rejected, replies } = rejectionsOf(turns, options.rejections ?? new Set(['neither']));
  const byText = new Map<string, { text: string; locale: string; kind: MissKind; count: number; lastAt: number }>();
  for (const turn of turns) {
    if (replies.has(turn)) continue;
    const kind = rejected.has(turn) ? 'rejected' : missOf(turn);
    if (!kind || decided.has(turn.text)) continue;
    const item = byText.get(turn.text);
    if (item) {
      item.count += 1;
      if (kind === 'rejected') item.kind = kind;
      if (turn.at >= item.lastAt) Object.assign(item, { lastAt: turn.at, locale: turn.locale });
    } else byText.set(turn.text, { text: turn.text, locale: turn.locale, kind, count: 1, lastAt: turn.at });
  }
  // Bounded work per request: the most frequent texts are clustered, suggestions only for what is shown.
  const items = [...byText.values()].sort((a, b) => b.count - a.count || b.lastAt - a.lastAt).slice(0, options.maxTexts ?? 2000);
  const clusters = clusterMessages(items.map((item) => ({ terms: topicTerms(item.text) })), { threshold: 0.5 });
  const weight = (members: readonly number[]) => members.reduce((sum, i) => sum + items[i]!.count, 0);
  return clusters
    .map((cluster) => ({ cluster, weight: weight(cluster.members) }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, options.limit ?? 50)
    .map(({ cluster }): ReviewGroup => {
      const terms = cluster.topTerms.slice(0, 3).map((t) => t.term);
      const members = cluster.representative.slice(0, options.itemsPerGroup ?? 25).map((i) => items[i]!);
      const label = terms.length > 0 ? terms.join(' · ') : members[0]!.text.slice(0, 40);
      return { id: terms.join('-') || label, label, items: members.map((item) => ({ ...item, suggestions: suggest(content, item.text, options.suggestions ?? 3) })) };
    });
}

function suggest(content: ContentSnapshot, text: string, limit: number): IntentSuggestion[] {
  const prediction = content.nlu.classify(text);
  const ranked = [{ intent: prediction.topIntent, confidence: prediction.confidence }, ...prediction.alternatives];
  const seen = new Set<string>();
  const suggestions: IntentSuggestion[] = [];
  for (const { intent, confidence } of ranked) {
    const info = content.knowledge.intent(intent);
    if (!info || seen.has(intent) || suggestions.length >= limit) continue;
    seen.add(intent);
    suggestions.push({ intent, confidence: Math.round(confidence * 1000) / 1000, titles: info.titles });
  }
  return suggestions;
}
