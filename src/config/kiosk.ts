import { defineConfigSection } from './section.js';

/** Settings of the kiosk feature. Add its environment variables here (and to README.md and .env.example). */
export type KioskSettings = Record<string, never>;

export const kioskConfigSection = defineConfigSection({}, (): KioskSettings => ({}));
