import { defineConfigSection } from './section.js';

/** Settings of the whatsapp feature. Add its environment variables here (and to README.md and .env.example). */
export type WhatsappSettings = Record<string, never>;

export const whatsappConfigSection = defineConfigSection({}, (): WhatsappSettings => ({}));
