import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConversationReference,
  type InvokeResponse,
} from 'botbuilder';
// What CloudAdapter.process itself calls (timestamps to Dates); botbuilder does not re-export it.
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator.js';
import type { Channel, ChannelStatus, TurnLogic } from '../../src/channels/channel-registry.js';
import type { Config } from '../../src/config.js';
import type { TeamsSettings } from '../../src/config/teams.js';
import type { Logger } from '../../src/logger.js';
import { TeamsMiddleware } from './teams-middleware.js';

/**
 * botbuilder's CloudAdapter with the plain `continueConversation` every carebot channel offers,
 * so proactive messages (agent replies, CSAT) reach Teams and Emulator users like any other.
 */
export class BotFrameworkAdapter extends CloudAdapter {
  constructor(private readonly appId: string | undefined, auth: ConfigurationBotFrameworkAuthentication) {
    super(auth);
  }

  override async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    await this.continueConversationAsync(this.appId ?? '', reference, logic);
  }

  /**
   * One activity received over HTTP: what `CloudAdapter.process` does, without its
   * `console.error` of every rejected request (any caller could fill stderr with stack traces).
   * Failures are thrown, a rejected token with `statusCode` 401, for the route to answer and log.
   */
  async processHttpActivity(authHeader: string, activity: Activity, logic: TurnLogic): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, validateAndFixActivity(activity), logic);
  }
}

/** The Bot Framework channel behind /api/messages: Microsoft Teams, the Emulator and Web Chat. */
export function createBotFrameworkChannel(
  botFramework: Config['botFramework'],
  teams: TeamsSettings = { memberLookup: true, requireMentionInChannels: true },
  logger?: Logger,
): Channel & { adapter: BotFrameworkAdapter } {
  const adapter = new BotFrameworkAdapter(
    botFramework.appId,
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: botFramework.appId,
      MicrosoftAppPassword: botFramework.appPassword,
      MicrosoftAppTenantId: botFramework.tenantId,
      MicrosoftAppType: botFramework.appType,
    }),
  );
  let lastMessageAt: string | undefined;
  adapter.use({
    onTurn: async (context, next) => {
      lastMessageAt = new Date().toISOString();
      await next();
    },
  });
  adapter.use(new TeamsMiddleware(teams, logger?.child({ component: 'teams' })));
  return {
    id: 'botframework',
    channelIds: ['msteams', 'emulator', 'webchat'],
    adapter,
    status: (): ChannelStatus => ({
      channelId: 'botframework',
      state: 'connected',
      loggedInAs: botFramework.appId ?? '(unauthenticated: Emulator only)',
      lastMessageAt,
      sendFailures: 0,
      required: false,
    }),
  };
}
