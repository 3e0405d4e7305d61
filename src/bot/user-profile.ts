import type { Locale } from '../config.js';

/** What carebot remembers about a user across conversations (botbuilder UserState). */
export interface UserProfile {
  /** Set when the user asks for a language explicitly; wins over the message's language. */
  chosenLocale?: Locale;
  /** The language of the user's latest message. */
  lastLocale?: Locale;
  /** Facts the user told the bot (slot answers such as their city), reused by later answers. */
  facts?: Record<string, string>;
  /** Who the user is, from the identity directory: employeeType, department, segment. */
  identity?: Record<string, string>;
  /** Where the user is: city, site. */
  location?: Record<string, string>;
}

/** Per-conversation memory (botbuilder ConversationState). */
export interface ConversationData {
  turnCount?: number;
  greeted?: boolean;
}
