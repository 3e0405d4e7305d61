import { TeamsInfo, TurnContext, type Activity, type Middleware } from 'botbuilder';
import { setChannelIdentity, type ChannelIdentity } from '../../src/channels/channel-identity.js';
import type { TeamsSettings } from '../../src/config/teams.js';
import type { Logger } from '../../src/logger.js';
import { CHOICE_KEY, renderForTeams } from './render.js';

const MEMBER_TTL_MS = 60 * 60 * 1000;
const MEMBER_CACHE_MAX = 5000;

interface Member {
  email: string | undefined;
  displayName: string | undefined;
  expires: number;
}

/**
 * Teams specifics on the Bot Framework adapter, before the shared pipeline: channel and group
 * messages only when @mentioned (mention removed before NLU), card submits back to text, the
 * sender's identity (AAD object id, email/UPN via TeamsInfo.getMember) in turn state and
 * `from.properties`, and choices rendered as Adaptive Cards on the way out.
 */
export class TeamsMiddleware implements Middleware {
  private readonly members = new Map<string, Member>();

  constructor(
    private readonly settings: TeamsSettings,
    private readonly logger: Logger | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type === 'message') {
      submittedChoiceAsText(activity);
      if (activity.channelId === 'msteams' && this.settings.requireMentionInChannels && isGroup(activity)) {
        const mentioned = TurnContext.getMentions(activity).some((mention) => mention.mentioned?.id === activity.recipient?.id);
        if (!mentioned) return;
      }
      if (activity.text) activity.text = TurnContext.removeRecipientMention(activity)?.trim() ?? activity.text;
    }
    if (activity.from?.id) await this.identify(context);
    if (activity.channelId === 'msteams') {
      context.onSendActivities(async (_ctx, activities, sendNext) => {
        activities.forEach((outgoing, index) => (activities[index] = renderForTeams(outgoing) as typeof outgoing));
        return sendNext();
      });
    }
    await next();
  }

  private async identify(context: TurnContext): Promise<void> {
    const from = context.activity.from;
    let member: Member | undefined;
    if (context.activity.channelId === 'msteams' && this.settings.memberLookup && context.activity.conversation?.id) {
      member = await this.member(context, from.id);
    }
    const identity: ChannelIdentity = {
      channelUserId: from.id,
      aadObjectId: from.aadObjectId,
      email: member?.email,
      displayName: member?.displayName ?? (from.name || undefined),
    };
    setChannelIdentity(context, identity);
    const properties: Record<string, unknown> = { ...((from as { properties?: Record<string, unknown> }).properties ?? {}) };
    if (identity.email) properties.email = identity.email;
    if (identity.aadObjectId) properties.aadObjectId = identity.aadObjectId;
    (from as { properties?: Record<string, unknown> }).properties = properties;
  }

  private async member(context: TurnContext, userId: string): Promise<Member | undefined> {
    const cached = this.members.get(userId);
    if (cached && cached.expires > this.now()) return cached;
    try {
      const account = await TeamsInfo.getMember(context, userId);
      const member: Member = {
        email: account.email ?? account.userPrincipalName ?? undefined,
        displayName: account.name || undefined,
        expires: this.now() + MEMBER_TTL_MS,
      };
      if (this.members.size >= MEMBER_CACHE_MAX) this.members.delete(this.members.keys().next().value as string);
      this.members.set(userId, member);
      return member;
    } catch (error) {
      // Without the email the directory can still match the AAD object id; answer anyway.
      this.logger?.warn({ err: error }, 'Teams member lookup failed');
      return undefined;
    }
  }
}

function isGroup(activity: Activity): boolean {
  const type = activity.conversation?.conversationType;
  return type === 'channel' || type === 'groupChat' || (type === undefined && activity.conversation?.isGroup === true);
}

/** An Adaptive Card `Action.Submit` arrives as a message with `value` and no text. */
function submittedChoiceAsText(activity: Activity): void {
  const value = activity.value as Record<string, unknown> | undefined;
  if (activity.text?.trim() || typeof value !== 'object' || value === null) return;
  const choice = value[CHOICE_KEY];
  if (typeof choice === 'string' || typeof choice === 'number') activity.text = String(choice);
}
