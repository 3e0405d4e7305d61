import type { TurnContext } from 'botbuilder';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { NluEngine } from '../nlu/nlu-engine.js';

/** The content and the model trained on it, swapped together by a reload. */
export interface ContentSnapshot {
  readonly knowledge: KnowledgeBase;
  readonly nlu: NluEngine;
  readonly version: number;
}

export interface ContentSource {
  current(): ContentSnapshot;
}

const CONTENT = Symbol('carebot.content');

/**
 * A turn takes one snapshot when it starts and uses only that one, so a reload in the middle
 * of a turn can never mix old content with a new model.
 */
export function setTurnContent(context: TurnContext, snapshot: ContentSnapshot): void {
  context.turnState.set(CONTENT, snapshot);
}

export function getTurnContent(context: TurnContext): ContentSnapshot | undefined {
  return context.turnState.get(CONTENT) as ContentSnapshot | undefined;
}
