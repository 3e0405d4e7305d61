import { newEventId } from './event-id.js';
import type { HandoffLifecycleEvent, HandoffService } from '../handoff/handoff-service.js';
import type { HandoffRecord } from '../handoff/types.js';
import type { Logger } from '../logger.js';
import type { EventWriter } from './event-writer.js';
import type { AnalyticsKeys } from './keys.js';
import type { AnalyticsPrometheus } from './prometheus.js';
import { redact } from './redact.js';

/** Turns the handoff feature's lifecycle events (handoffs, callbacks, CSAT answers) into analytics events. */
export function recordHandoffs(service: HandoffService, writer: EventWriter, prometheus: AnalyticsPrometheus, logger: Logger, keys: AnalyticsKeys): () => void {
  const base = (record: HandoffRecord) => ({
    handoffId: record.id,
    conversation: keys.conversation(record.payload.channelId, record.payload.reference.conversation?.id ?? ''),
    user: keys.user(record.payload.customer.id),
    channel: record.payload.channelId,
    locale: record.language,
    reason: record.payload.reason,
    skill: record.skill,
  });
  const onEvent = async (event: HandoffLifecycleEvent) => {
    if (event.type === 'csat') {
      const record = await service.queue.get(event.entry.handoffId);
      writer.record({
        kind: 'csat',
        id: newEventId(),
        at: Date.parse(event.entry.at) || event.at,
        handoffId: event.entry.handoffId,
        conversation: record ? base(record).conversation : keys.conversation(event.entry.channelId, ''),
        user: keys.user(event.entry.customerId),
        channel: event.entry.channelId,
        skill: event.entry.skill,
        agentId: event.entry.agentId ?? null,
        score: event.entry.score,
        comment: event.entry.comment ? redact(event.entry.comment) : null,
      });
      prometheus.csat.inc({ score: String(event.entry.score) });
      return;
    }
    if ('callback' in event) {
      const { callback } = event;
      writer.record({
        kind: 'handoff',
        id: newEventId(),
        type: event.type,
        at: event.at,
        handoffId: callback.id,
        conversation: keys.conversation(callback.channelId, callback.reference.conversation?.id ?? ''),
        user: keys.user(callback.customer.id),
        channel: callback.channelId,
        locale: callback.locale,
        reason: callback.reason,
        skill: callback.skill,
        agentId: callback.agentId ?? null,
        disposition: event.type === 'callback-done' ? (callback.outcome?.disposition ?? null) : null,
      });
      return;
    }
    const { record } = event;
    writer.record({
      kind: 'handoff',
      id: newEventId(),
      type: event.type,
      at: event.at,
      ...base(record),
      agentId: record.agentId ?? record.outcome?.by ?? null,
      disposition: event.type === 'resolved' ? (record.outcome?.disposition ?? null) : null,
    });
    if (event.type === 'queued') prometheus.handoffs.inc({ reason: record.payload.reason, skill: record.skill });
    if (event.type === 'accepted') prometheus.handoffWait.observe({ skill: record.skill }, Math.max(0, event.at - record.createdAt) / 1000);
    if (event.type === 'resolved') {
      if (record.assignedAt) prometheus.handleTime.observe({ skill: record.skill }, Math.max(0, event.at - record.assignedAt) / 1000);
      // The agent's side of the transcript, redacted like the rest.
      const { conversation, user, channel } = base(record);
      for (const message of await service.queue.messages(record.id)) {
        if (message.from !== 'agent') continue;
        writer.record({ kind: 'transcript', id: `agent-${message.id}`, at: Date.parse(message.at) || event.at, conversation, user, channel, role: 'agent', text: redact(message.text) });
      }
    }
  };
  return service.onLifecycle((event) => {
    onEvent(event).catch((error: unknown) => logger.warn({ err: error, event: event.type }, 'could not record a handoff event'));
  });
}
