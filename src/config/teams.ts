import { booleanFlag, defineConfigSection } from './section.js';

/** Settings of the Microsoft Teams specifics on the Bot Framework channel. */
export interface TeamsSettings {
  /** Look up the member's email/UPN with TeamsInfo.getMember (needs the bot's Graph-free connector access). */
  readonly memberLookup: boolean;
  /** In channels and group chats, answer only messages that @mention the bot. */
  readonly requireMentionInChannels: boolean;
}

export const teamsConfigSection = defineConfigSection(
  {
    TEAMS_MEMBER_LOOKUP: booleanFlag.default(true),
    TEAMS_REQUIRE_MENTION: booleanFlag.default(true),
  },
  (e): TeamsSettings => ({ memberLookup: e.TEAMS_MEMBER_LOOKUP, requireMentionInChannels: e.TEAMS_REQUIRE_MENTION }),
);
