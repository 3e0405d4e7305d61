import type { Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { UserProfile } from '../bot/user-profile.js';
import type { IdentityProvider } from './identity-provider.js';

/**
 * Keeps who the user is (employee type, department, segment) and where (city, site) in their
 * profile, so everything after the dialogs (the handoff payload and its priority, analytics)
 * sees the same identity the answers were tailored to.
 */
export class IdentityMiddleware implements Middleware {
  constructor(
    private readonly identity: IdentityProvider,
    private readonly profile: StatePropertyAccessor<UserProfile>,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type === 'message') {
      const { city, site, language: _language, displayName: _displayName, ...who } = await this.identity.identify(context);
      const profile = await this.profile.get(context, {});
      const location = { ...(city ? { city } : {}), ...(site ? { site } : {}), ...(profile.facts?.city && !city ? { city: profile.facts.city } : {}) };
      // Always the directory's current word: an entry removed there is forgotten here too.
      if (Object.keys(who).length > 0) profile.identity = who;
      else delete profile.identity;
      if (Object.keys(location).length > 0) profile.location = location;
      else delete profile.location;
    }
    await next();
  }
}
