import type { IntentInfo } from '../src/knowledge/types.js';
import type { NluResult } from '../src/nlu/types.js';

const CORE_PACK = 'core';

/** The `core` pack's small talk: it answers short small-talk messages, never a substantive question. */
const SMALL_TALK: ReadonlySet<string> = new Set(['core.greeting', 'core.thanks', 'core.goodbye', 'core.cancel']);

/**
 * Relative to the best candidate's probability, so the thresholds hold whatever the engine's
 * calibration (a small corpus spreads probability thinner than a large one):
 * - a candidate at least this share of the best one is plausible (worth offering or preferring);
 * - the best candidate is answered directly when the runner-up is below this share of it.
 */
const PLAUSIBLE_SHARE = 0.3;
const CLEAR_LEAD_SHARE = 0.4;
/** A candidate from another pack than the best one is offered only when nearly as likely. */
const OTHER_PACK_SHARE = 0.8;
/** Out of scope, a recall-first intent needs this share of the NLU's reject threshold (gibberish stays gibberish). */
const RECALL_SHARE_OF_THRESHOLD = 0.5;
/** A recall-first intent this far down the ranking is still considered. */
const RECALL_RANKS = 3;
/** Short enough to be small talk: "thanks!", "bye", "多謝晒", "早晨呀". */
const SHORT_LATIN_WORDS = 4;
const SHORT_HAN_CHARACTERS = 6;

export type PolicyDecision =
  | { readonly kind: 'answer'; readonly intent: string }
  | { readonly kind: 'confirm'; readonly intent: string }
  | { readonly kind: 'choose'; readonly intents: readonly string[] }
  | { readonly kind: 'notUnderstood' };

interface Candidate {
  readonly intent: string;
  readonly confidence: number;
  readonly info: IntentInfo;
}

/**
 * What the dialogs do with an understanding: answer, confirm a high-stakes intent, ask which of
 * a few plausible topics, or say they did not understand.
 * - Small talk wins only short small-talk messages ("thanks, and where can I park" is about parking).
 * - "Did you mean" only between plausible substantive candidates of the same pack (or nearly
 *   equally likely ones), and a clear leader is answered.
 * - Per-intent `policy` from the content: `minConfidence` (precision: below it the intent is
 *   not answered, e.g. an emergency), `confirm` (below `minConfidence`, ask yes/no instead of
 *   dropping it) and `recallFirst` (recall: a scam report close behind the leader, or the best
 *   topic of a message otherwise out of scope but near the NLU's `oosThreshold`, is asked about
 *   instead of passed over).
 */
export function decideIntent(
  understanding: NluResult | undefined,
  lookup: (intent: string) => IntentInfo | undefined,
  oosThreshold = 0,
): PolicyDecision {
  if (!understanding) return { kind: 'notUnderstood' };
  const ranked = rank(understanding, lookup);
  const best = ranked[0];
  if (!best) return { kind: 'notUnderstood' };

  // Out of scope, everything is near noise: only the best topic (core's small talk and "a person,
  // please" aside) may be a recall-first intent worth a question. In scope, one close enough to
  // the leader is asked about rather than passed over.
  const recall = understanding.outOfScope
    ? ranked.find((candidate) => candidate.info.pack !== CORE_PACK)
    : ranked.slice(0, RECALL_RANKS).find((candidate) => candidate.info.policy.recallFirst && candidate.confidence >= best.confidence * CLEAR_LEAD_SHARE);
  const recallFloor = understanding.outOfScope ? oosThreshold * RECALL_SHARE_OF_THRESHOLD : 0;
  if (recall?.info.policy.recallFirst && plausible(recall, best) && recall.confidence >= recallFloor && (recall !== best || understanding.outOfScope)) {
    return { kind: 'confirm', intent: recall.intent };
  }
  if (understanding.outOfScope || !understanding.intent) return { kind: 'notUnderstood' };

  let candidates = ranked;
  if (SMALL_TALK.has(best.intent)) {
    const substantive = ranked.find((candidate) => !SMALL_TALK.has(candidate.intent) && plausible(candidate, best));
    if (isShort(understanding.text) || !substantive) return { kind: 'answer', intent: best.intent };
    candidates = ranked.filter((candidate) => candidate.confidence <= substantive.confidence);
  }
  candidates = candidates.filter((candidate) => !SMALL_TALK.has(candidate.intent));

  // Precision first: an intent below its own minimum confidence gives way to the next plausible one.
  const leader = candidates[0]!;
  const precise = candidates.filter((candidate) => plausible(candidate, leader) && candidate.confidence >= (candidate.info.policy.minConfidence ?? 0));
  const top = precise[0];
  if (!top) {
    return leader.info.policy.confirm ? { kind: 'confirm', intent: leader.intent } : { kind: 'notUnderstood' };
  }
  if (top.info.policy.recallFirst) return { kind: 'answer', intent: top.intent };

  const rivals = precise.filter(
    (candidate) =>
      candidate !== top &&
      candidate.confidence >= top.confidence * CLEAR_LEAD_SHARE &&
      (candidate.info.pack === top.info.pack || candidate.confidence >= top.confidence * OTHER_PACK_SHARE),
  );
  if (!understanding.ambiguous || rivals.length === 0) return { kind: 'answer', intent: top.intent };
  return { kind: 'choose', intents: [top.intent, ...rivals.map((rival) => rival.intent)].slice(0, 3) };
}

function rank(understanding: NluResult, lookup: (intent: string) => IntentInfo | undefined): Candidate[] {
  const scores = new Map<string, number>();
  for (const alternative of understanding.alternatives) scores.set(alternative.intent, alternative.confidence);
  if (understanding.intent && !scores.has(understanding.intent)) scores.set(understanding.intent, understanding.confidence);
  const candidates: Candidate[] = [];
  for (const [intent, confidence] of scores) {
    const info = lookup(intent);
    if (info) candidates.push({ intent, confidence, info });
  }
  return candidates.sort((a, b) => b.confidence - a.confidence);
}

function plausible(candidate: Candidate, best: Candidate): boolean {
  return candidate.confidence > 0 && candidate.confidence >= best.confidence * PLAUSIBLE_SHARE;
}

function isShort(text: string): boolean {
  const latinWords = text.match(/[A-Za-z]+/g)?.length ?? 0;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  return latinWords <= SHORT_LATIN_WORDS && han <= SHORT_HAN_CHARACTERS;
}
