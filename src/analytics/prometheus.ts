import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Live counters for Prometheus, on a registry of this feature's own (never the global default). */
export class AnalyticsPrometheus {
  readonly registry = new Registry();
  readonly turns: Counter<'channel' | 'locale' | 'outcome'>;
  readonly turnLatency: Histogram<'channel'>;
  readonly handoffs: Counter<'reason' | 'skill'>;
  readonly handoffWait: Histogram<'skill'>;
  readonly handleTime: Histogram<'skill'>;
  readonly csat: Counter<'score'>;
  readonly eventsWritten: Counter;
  readonly eventsDropped: Counter;
  readonly eventsDeadLettered: Counter;
  readonly redactions: Counter<'kind'>;

  constructor(buffered: () => number) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'carebot_' });
    this.turns = new Counter({ name: 'carebot_turns_total', help: 'Customer message turns, by outcome (answered, fallback, other, handoff mode)', labelNames: ['channel', 'locale', 'outcome'], registers });
    this.turnLatency = new Histogram({ name: 'carebot_turn_latency_seconds', help: 'Message received to first reply sent', labelNames: ['channel'], buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers });
    this.handoffs = new Counter({ name: 'carebot_handoffs_total', help: 'Handoffs queued, by reason and skill', labelNames: ['reason', 'skill'], registers });
    this.handoffWait = new Histogram({ name: 'carebot_handoff_wait_seconds', help: 'Queued to accepted by an agent', labelNames: ['skill'], buckets: [5, 15, 30, 60, 120, 300, 600, 1800], registers });
    this.handleTime = new Histogram({ name: 'carebot_handoff_handle_seconds', help: 'Accepted to resolved', labelNames: ['skill'], buckets: [30, 60, 120, 300, 600, 1200, 3600], registers });
    this.csat = new Counter({ name: 'carebot_csat_responses_total', help: 'CSAT answers by score', labelNames: ['score'], registers });
    this.eventsWritten = new Counter({ name: 'carebot_analytics_events_written_total', help: 'Analytics events written to the store', registers });
    this.eventsDropped = new Counter({ name: 'carebot_analytics_events_dropped_total', help: 'Analytics events lost (buffer full while the store was down, or shutdown)', registers });
    this.eventsDeadLettered = new Counter({ name: 'carebot_analytics_events_dead_lettered_total', help: 'Analytics events the store refused for good (not a connection failure), set aside and logged so the rest could be written', registers });
    this.redactions = new Counter({ name: 'carebot_pii_redactions_total', help: 'Personal data replaced by placeholders before storing', labelNames: ['kind'], registers });
    new Gauge({ name: 'carebot_analytics_events_buffered', help: 'Analytics events waiting to be written', registers, collect() { this.set(buffered()); } });
  }
}
