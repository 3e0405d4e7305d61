import type { TurnContext } from 'botbuilder';

/** Why a conversation goes to a person. */
export type HandoffReason = 'explicit' | 'fallback' | 'topic' | 'sentiment';

export interface HandoffRequest {
  readonly reason: HandoffReason;
  /** The agent skill to route to; the handoff feature's default when absent. */
  readonly skill?: string | undefined;
  /** The intent that led here (a topic flagged `handoff: true`, or `core.human`). */
  readonly intent?: string | undefined;
}

/** The handoff feature as the dialogs see it. */
export interface HandoffRequester {
  /** Starts the handoff (pre-screening, queueing) in this turn; false when it could not start. */
  request(context: TurnContext, request: HandoffRequest): Promise<boolean>;
}
