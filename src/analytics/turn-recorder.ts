import { newEventId } from './event-id.js';
import type { Middleware, TurnContext } from 'botbuilder';
import { getReplyLocale } from '../bot/turn-state.js';
import { getTurnUnderstanding } from '../bot/turn-understanding.js';
import type { EventWriter } from './event-writer.js';
import type { AnalyticsKeys } from './keys.js';
import type { AnalyticsPrometheus } from './prometheus.js';
import { redactPii, type PiiKind } from './redact.js';
import type { TurnMode } from './types.js';

export interface TurnRecorderDeps {
  readonly writer: EventWriter;
  readonly keys: AnalyticsKeys;
  readonly prometheus: AnalyticsPrometheus;
  readonly defaultLocale: string;
  readonly now: () => number;
  /** Who holds the conversation (the handoff feature's mode); `bot` without a handoff feature. */
  readonly mode?: (context: TurnContext) => Promise<TurnMode>;
}

/**
 * `bot.late` middleware: records every customer message turn (and the transcript lines of both
 * sides) after the turn ran. Recording only appends to the writer's buffer, so a slow or broken
 * store never slows or fails a turn.
 */
export class TurnRecorder implements Middleware {
  private modeOf: ((context: TurnContext) => Promise<TurnMode>) | undefined;

  constructor(private readonly deps: TurnRecorderDeps) {
    this.modeOf = deps.mode;
  }

  /** Plugged in once the handoff feature exists (it is built after this middleware). */
  setModeSource(mode: (context: TurnContext) => Promise<TurnMode>): void {
    this.modeOf = mode;
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type !== 'message') return next();
    const started = this.deps.now();
    const mode = await this.safeMode(context);
    let firstReplyAt: number | undefined;
    let answerId: string | null = null;
    const replies: string[] = [];
    context.onSendActivities(async (_ctx, activities, sendNext) => {
      for (const activity of activities) {
        if (activity.type !== 'message') continue;
        firstReplyAt ??= this.deps.now();
        const value = activity.value as { answerId?: unknown } | undefined;
        if (typeof value?.answerId === 'string') answerId ??= value.answerId;
        if (activity.text) replies.push(activity.text);
      }
      return sendNext();
    });
    try {
      await next();
    } finally {
      try {
        this.record(context, { started, mode, firstReplyAt, answerId, replies });
      } catch {
        // Analytics must never fail a turn.
      }
    }
  }

  private async safeMode(context: TurnContext): Promise<TurnMode> {
    try {
      return this.modeOf ? await this.modeOf(context) : 'bot';
    } catch {
      return 'bot';
    }
  }

  private record(context: TurnContext, turn: { started: number; mode: TurnMode; firstReplyAt: number | undefined; answerId: string | null; replies: string[] }): void {
    const { activity } = context;
    const understanding = getTurnUnderstanding(context);
    const channel = activity.channelId ?? 'unknown';
    const conversation = this.deps.keys.conversation(channel, activity.conversation?.id ?? '');
    const user = this.deps.keys.user(activity.from?.id ?? '');
    const locale = getReplyLocale(context) ?? this.deps.defaultLocale;
    const at = this.deps.now();
    const intent = understanding?.intent ?? null;
    const notUnderstood = !understanding || understanding.outOfScope || !intent;
    const fallback = turn.mode === 'bot' && turn.answerId === null && notUnderstood && turn.replies.length > 0;
    const text = this.redact(activity.text ?? '');
    const latencyMs = turn.firstReplyAt === undefined ? null : turn.firstReplyAt - turn.started;
    this.deps.writer.record({
      kind: 'turn',
      id: newEventId(),
      at: turn.started,
      channel,
      conversation,
      user,
      locale,
      language: understanding?.language ?? null,
      intent,
      pack: intent && intent.includes('.') ? intent.slice(0, intent.indexOf('.')) : null,
      confidence: understanding?.confidence ?? null,
      outOfScope: understanding?.outOfScope ?? false,
      ambiguous: understanding?.ambiguous ?? false,
      fallback,
      sentiment: understanding?.sentiment.score ?? null,
      sentimentLabel: understanding?.sentiment.label ?? null,
      answerId: turn.answerId,
      latencyMs,
      mode: turn.mode,
      text,
    });
    this.deps.writer.record({ kind: 'transcript', id: newEventId(), at: turn.started, conversation, user, channel, role: 'customer', text });
    turn.replies.forEach((reply, i) => {
      this.deps.writer.record({ kind: 'transcript', id: newEventId(), at: Math.max(turn.started + 1 + i, at - turn.replies.length + i), conversation, user, channel, role: 'bot', text: this.redact(reply) });
    });
    const outcome = turn.mode !== 'bot' ? turn.mode : turn.answerId ? 'answered' : fallback ? 'fallback' : 'other';
    this.deps.prometheus.turns.inc({ channel, locale, outcome });
    if (latencyMs !== null) this.deps.prometheus.turnLatency.observe({ channel }, latencyMs / 1000);
  }

  private redact(text: string): string {
    const { text: clean, found } = redactPii(text);
    for (const [kind, count] of Object.entries(found) as [PiiKind, number][]) this.deps.prometheus.redactions.inc({ kind }, count);
    return clean;
  }
}
