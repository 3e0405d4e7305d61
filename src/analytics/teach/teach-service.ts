import { newEventId } from '../event-id.js';
import type { ContentSnapshot, ContentSource } from '../../bot/turn-content.js';
import type { ContentProblem } from '../../knowledge/content-error.js';
import type { ContentTeacher } from '../../knowledge/content-teacher.js';
import type { Lesson } from '../../knowledge/learned-overlay.js';
import type { LocalizedInput } from '../../knowledge/schema.js';
import type { Logger } from '../../logger.js';
import { crossValidateOffThread, type CrossValidationSummary } from '../../nlu/cross-validate.js';
import type { EventWriter } from '../event-writer.js';
import type { AnalyticsStore, TeachLogEntry } from '../store/analytics-store.js';
import type { TimeRange } from '../types.js';
import { reviewGroups, type ReviewGroup } from './review-queue.js';

/** What an operator decided about missed messages. */
export type TeachDecision =
  | { readonly action: 'label'; readonly text: string; readonly intent: string }
  | { readonly action: 'dismiss'; readonly text: string }
  | {
      readonly action: 'create';
      /** The missed messages that become the new intent's first examples. */
      readonly texts: readonly string[];
      readonly intent: { readonly id: string; readonly title: LocalizedInput; readonly answer: LocalizedInput; readonly examples?: readonly string[] | undefined };
    };

/** The figure the screen shows before and after a retrain. */
export interface Evaluation {
  readonly corpusHash: string;
  readonly intents: number;
  readonly summary: CrossValidationSummary;
}

export type TeachResult =
  | { readonly ok: true; readonly version: number; readonly taught: number; readonly dismissed: number; readonly before: Evaluation | null; readonly after: Evaluation | null }
  | { readonly ok: false; readonly status: 400 | 422; readonly code: 'REQUEST_INVALID' | 'CONTENT_INVALID'; readonly message: string; readonly problems: readonly ContentProblem[] };

export interface TeachServiceDeps {
  readonly store: AnalyticsStore;
  readonly writer: EventWriter;
  readonly teacher: ContentTeacher;
  readonly content: ContentSource;
  readonly logger: Logger;
  readonly now: () => number;
  /** Folds of the before/after cross-validation (default 5). */
  readonly folds?: number;
  /** The "neither" / "no" titles of "did you mean" questions in every locale. */
  readonly rejections?: ReadonlySet<string>;
}

/** Decisions already made are kept out of the work list; this many are looked at. */
const DECIDED_LOOKBACK = 100_000;
const KEPT_EVALUATIONS = 4;

/**
 * The review screen's logic: the work list of missed messages, the operator's decisions
 * (examples into the learned overlay, new intents, dismissals), the retrain through the
 * content runtime, the before/after cross-validation and the audit log.
 */
export class TeachService {
  private readonly evaluations = new Map<string, Promise<Evaluation>>();

  constructor(private readonly deps: TeachServiceDeps) {}

  /** The serving content (intents and packs the screen offers). */
  get content(): ContentSource {
    return this.deps.content;
  }

  async review(range: TimeRange): Promise<{ version: number; groups: ReviewGroup[] }> {
    // Messages of the last seconds are still in the writer's buffer.
    await this.deps.writer.flush();
    const [turns, log] = await Promise.all([this.deps.store.turns(range), this.deps.store.teachingLog(DECIDED_LOOKBACK)]);
    const decided = new Set(log.map((entry) => entry.text).filter((text): text is string => text !== null));
    const content = this.deps.content.current();
    return { version: content.version, groups: reviewGroups(turns, decided, content, this.deps.rejections ? { rejections: this.deps.rejections } : {}) };
  }

  /** Cross-validation of the serving model's corpus; computed once per corpus, on a worker thread. */
  evaluation(content: ContentSnapshot = this.deps.content.current()): Promise<Evaluation> {
    const hash = content.nlu.corpusHash;
    let evaluation = this.evaluations.get(hash);
    if (!evaluation) {
      const examples = content.knowledge.trainingExamples();
      const intents = new Set(examples.map((e) => e.intent)).size;
      // At the serving model's out-of-scope threshold: what users would get, and no calibration per fold.
      evaluation = crossValidateOffThread(examples, this.deps.folds ?? 5, { oosThreshold: content.nlu.oosThreshold }).then((summary) => ({ corpusHash: hash, intents, summary }));
      evaluation.catch(() => this.evaluations.delete(hash));
      this.evaluations.set(hash, evaluation);
      for (const old of [...this.evaluations.keys()].slice(0, -KEPT_EVALUATIONS)) this.evaluations.delete(old);
    }
    return evaluation;
  }

  async decide(decisions: readonly TeachDecision[], actor: string): Promise<TeachResult> {
    const snapshot = this.deps.content.current();
    const lessons: Lesson[] = [];
    const packs = new Set(snapshot.knowledge.packs.map((pack) => pack.id));
    for (const decision of decisions) {
      if (decision.action === 'label') {
        if (!snapshot.knowledge.intent(decision.intent)) return refused(`no intent "${decision.intent}" in the loaded packs`);
        lessons.push({ kind: 'example', intent: decision.intent, text: decision.text });
      } else if (decision.action === 'create') {
        const { id, title, answer, examples = [] } = decision.intent;
        const pack = id.slice(0, id.indexOf('.'));
        if (!packs.has(pack)) return refused(`no pack "${pack}" loaded for intent "${id}"`);
        if (snapshot.knowledge.intent(id)) return refused(`intent "${id}" already exists: label the messages with it instead`);
        lessons.push({ kind: 'intent', id, title, answer, examples: [...new Set([...decision.texts, ...examples])] });
      }
    }
    const dismissed = decisions.filter((d) => d.action === 'dismiss').length;
    let version = snapshot.version;
    let before: Evaluation | null = null;
    let after: Evaluation | null = null;
    if (lessons.length > 0) {
      const beforeRun = this.evaluation(snapshot);
      const outcome = await this.deps.teacher.teach(lessons);
      if (!outcome.ok) {
        beforeRun.catch(() => undefined);
        return { ok: false, status: 422, code: 'CONTENT_INVALID', message: 'The lesson would make the content invalid; nothing was written and the current model keeps serving.', problems: outcome.problems };
      }
      version = outcome.version;
      [before, after] = await Promise.all([
        beforeRun.catch((error: unknown) => this.unevaluated(error)),
        this.evaluation().catch((error: unknown) => this.unevaluated(error)),
      ]);
    }
    await this.deps.store.recordTeaching(this.logEntries(decisions, actor, { version, before: figure(before), after: figure(after) }));
    return { ok: true, version, taught: lessons.length, dismissed, before, after };
  }

  log(limit: number): Promise<TeachLogEntry[]> {
    return this.deps.store.teachingLog(limit);
  }

  private unevaluated(error: unknown): null {
    this.deps.logger.warn({ err: error }, 'cross-validation for the review screen failed');
    return null;
  }

  private logEntries(decisions: readonly TeachDecision[], actor: string, detail: Record<string, unknown>): TeachLogEntry[] {
    const at = this.deps.now();
    return decisions.flatMap((decision): TeachLogEntry[] => {
      const base = { at, actor, detail };
      if (decision.action === 'dismiss') return [{ ...base, id: newEventId(), action: 'dismiss', pack: null, intent: null, text: decision.text }];
      if (decision.action === 'label') return [{ ...base, id: newEventId(), action: 'example', pack: packOf(decision.intent), intent: decision.intent, text: decision.text }];
      const { id } = decision.intent;
      // One line per message taken into the new intent, so each leaves the work list.
      return (decision.texts.length > 0 ? decision.texts : [null]).map((text) => ({
        ...base,
        id: newEventId(),
        action: 'intent' as const,
        pack: packOf(id),
        intent: id,
        text,
        detail: { ...detail, title: decision.intent.title, answer: decision.intent.answer },
      }));
    });
  }
}

function packOf(intent: string): string {
  return intent.slice(0, intent.indexOf('.'));
}

function figure(evaluation: Evaluation | null): { accuracy: number; macroF1: number; examples: number } | null {
  return evaluation && { accuracy: evaluation.summary.accuracy, macroF1: evaluation.summary.macroF1, examples: evaluation.summary.examples };
}

/** A decision that cannot apply to the loaded content: 400 REQUEST_INVALID with the reason. */
function refused(message: string): TeachResult {
  return { ok: false, status: 400, code: 'REQUEST_INVALID', message, problems: [] };
}
