import type { TurnContext } from 'botbuilder';

/**
 * Who is talking and where, as the channel knows it: Teams gives the user's Azure AD object id
 * and email/UPN, a kiosk gives its site and city. The IdentityProvider maps this to employee
 * type, department and city; dialogs use the site/city for location-aware answers.
 */
export interface ChannelIdentity {
  /** The channel's own user id (`activity.from.id`). */
  readonly channelUserId: string;
  readonly email?: string | undefined;
  readonly aadObjectId?: string | undefined;
  readonly phone?: string | undefined;
  /** The physical site a kiosk stands at. */
  readonly site?: string | undefined;
  readonly city?: string | undefined;
  /** The platform's department id of the user (WeCom): the directory may know where that department works. */
  readonly department?: string | undefined;
  readonly displayName?: string | undefined;
}

const CHANNEL_IDENTITY = Symbol('carebot.channelIdentity');

/** Set by a channel's adapter middleware, before the shared pipeline runs. */
export function setChannelIdentity(context: TurnContext, identity: ChannelIdentity): void {
  context.turnState.set(CHANNEL_IDENTITY, identity);
}

export function getChannelIdentity(context: TurnContext): ChannelIdentity | undefined {
  return context.turnState.get(CHANNEL_IDENTITY) as ChannelIdentity | undefined;
}
