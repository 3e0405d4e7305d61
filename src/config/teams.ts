import { defineConfigSection } from './section.js';

/** Settings of the teams feature. Add its environment variables here (and to README.md and .env.example). */
export type TeamsSettings = Record<string, never>;

export const teamsConfigSection = defineConfigSection({}, (): TeamsSettings => ({}));
