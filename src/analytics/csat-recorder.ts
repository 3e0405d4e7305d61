import { newEventId } from './event-id.js';
import type { TurnContext } from 'botbuilder';
import type { CsatAnswer, CsatRecorder } from '../bot/csat-recorder.js';
import type { EventWriter } from './event-writer.js';
import type { AnalyticsKeys } from './keys.js';
import type { AnalyticsPrometheus } from './prometheus.js';
import { redact } from './redact.js';

/** The skill recorded for surveys of conversations the bot resolved itself (no handoff). */
export const BOT_RESOLVED_SKILL = 'bot';

/** Stores the dialogs' end-of-conversation survey answers beside the agents' ones. */
export class AnalyticsCsatRecorder implements CsatRecorder {
  constructor(
    private readonly writer: EventWriter,
    private readonly prometheus: AnalyticsPrometheus,
    private readonly now: () => number,
    private readonly keys: AnalyticsKeys,
  ) {}

  record(context: TurnContext, answer: CsatAnswer): void {
    const { activity } = context;
    this.writer.record({
      kind: 'csat',
      id: newEventId(),
      at: this.now(),
      handoffId: '',
      conversation: this.keys.conversation(activity.channelId, activity.conversation?.id ?? ''),
      user: this.keys.user(activity.from?.id ?? ''),
      channel: activity.channelId,
      skill: BOT_RESOLVED_SKILL,
      agentId: null,
      score: answer.score,
      comment: answer.comment ? redact(answer.comment) : null,
    });
    this.prometheus.csat.inc({ score: String(answer.score) });
  }
}
