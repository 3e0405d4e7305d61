import type { Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { UserProfile } from '../../src/bot/user-profile.js';
import { setChannelIdentity } from '../../src/channels/channel-identity.js';
import type { ConversationStore } from './store/conversation-store.js';
import type { KioskDevice } from './devices.js';

/**
 * Runs before the shared pipeline on kiosk turns: tells the bot where the kiosk stands (site and
 * city, in turn state and `from.properties` for the IdentityProvider) and which language the
 * visitor tapped (an explicit choice, so it wins over what a short utterance looks like).
 */
export function kioskContextMiddleware(
  store: ConversationStore,
  devices: ReadonlyMap<string, KioskDevice>,
  profile: StatePropertyAccessor<UserProfile>,
): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const conversation = await store.get(context.activity.conversation?.id ?? '');
      const device = conversation ? devices.get(conversation.deviceId) : undefined;
      if (conversation && device) {
        const from = context.activity.from;
        const isVisitor = from?.id === conversation.userId;
        if (isVisitor) {
          setChannelIdentity(context, {
            channelUserId: from.id,
            site: device.site,
            city: device.city,
            displayName: from.name || undefined,
          });
          const properties = { ...((from as { properties?: Record<string, unknown> }).properties ?? {}) };
          if (device.site) properties.site = device.site;
          if (device.city) properties.city = device.city;
          properties.kioskDeviceId = device.id;
          (from as { properties?: Record<string, unknown> }).properties = properties;
        }
        if (conversation.chosenLocale) {
          const current = await profile.get(context, {});
          if (current.chosenLocale !== conversation.chosenLocale) current.chosenLocale = conversation.chosenLocale;
        }
      }
      await next();
    },
  };
}
