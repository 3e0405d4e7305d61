import { defineConfigSection } from './section.js';

/** Settings of the handoff feature. Add its environment variables here (and to README.md and .env.example). */
export type HandoffSettings = Record<string, never>;

export const handoffConfigSection = defineConfigSection({}, (): HandoffSettings => ({}));
