import type { TurnContext } from 'botbuilder';
import { getChannelIdentity } from '../channels/channel-identity.js';
import type { Locale } from '../config.js';

/**
 * Who the user is and where they are, as far as carebot knows. Every field is optional:
 * answers fall back from the most to the least specific variant.
 */
export interface UserIdentity {
  readonly employeeType?: string;
  readonly department?: string;
  readonly city?: string;
  readonly site?: string;
  readonly segment?: string;
  readonly language?: Locale;
  readonly displayName?: string;
}

/** Resolves a user's identity from the channel's user id (and what the channel knows of them). */
export interface IdentityProvider {
  identify(context: TurnContext): Promise<UserIdentity>;
}

/** What a channel knows about the sender, collected from the Activity. */
export interface ChannelUser {
  readonly channelId: string;
  readonly userId: string;
  readonly email?: string;
  readonly aadObjectId?: string;
  readonly phone?: string;
  readonly site?: string;
  readonly city?: string;
  readonly department?: string;
}

function stringProperty(source: unknown, key: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The sender's identifiers: what the channel's adapter put in turn state (`ChannelIdentity`:
 * Teams AAD id and email, a WhatsApp number, a kiosk's site and city), else what the Activity
 * itself carries on `from` or in `channelData`.
 */
export function channelUserOf(context: TurnContext): ChannelUser {
  const { activity } = context;
  const from = activity.from ?? { id: '', name: '' };
  const known = getChannelIdentity(context);
  const properties = (from as { properties?: unknown }).properties;
  const channelData = activity.channelData as unknown;
  const pick = (key: string) => stringProperty(properties, key) ?? stringProperty(channelData, key) ?? stringProperty(from, key);
  return {
    channelId: activity.channelId,
    userId: known?.channelUserId ?? from.id,
    email: known?.email ?? pick('email') ?? pick('userPrincipalName'),
    aadObjectId: known?.aadObjectId ?? from.aadObjectId ?? pick('aadObjectId'),
    phone: known?.phone ?? pick('phone'),
    site: known?.site ?? pick('site'),
    city: known?.city ?? pick('city'),
    department: known?.department,
  };
}
