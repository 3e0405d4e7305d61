import { z } from 'zod';
import { buildDelivery, deliveryShape, type TextChannelDelivery } from './text-channel.js';
import { defineConfigSection } from './section.js';

/** Settings of the whatsapp feature (README.md "### WhatsApp" and .env.example list them). */
export type WhatsappSettings =
  | { readonly enabled: false }
  | (TextChannelDelivery & {
      readonly enabled: true;
      /** LocalAuth's dataPath: the paired session survives restarts here. */
      readonly sessionDir: string;
      /** LocalAuth's clientId, to run several numbers from one session dir. */
      readonly clientId: string;
      /** The system Chromium whatsapp-web.js drives (npm install downloads none). */
      readonly chromiumPath: string;
    });

const shape = {
  ...deliveryShape('WHATSAPP', { maxTextLength: 4000, perChat: 1, overall: 5 }),
  WHATSAPP_SESSION_DIR: z.string().min(1).default('.data/whatsapp'),
  WHATSAPP_CLIENT_ID: z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, "_" or "-"').default('carebot'),
  PUPPETEER_EXECUTABLE_PATH: z.string().min(1).default('/usr/bin/chromium'),
};

export const whatsappConfigSection = defineConfigSection(shape, (values): WhatsappSettings => {
  if (!values.WHATSAPP_ENABLED) return { enabled: false };
  return {
    enabled: true,
    ...buildDelivery(values, 'WHATSAPP'),
    sessionDir: values.WHATSAPP_SESSION_DIR,
    clientId: values.WHATSAPP_CLIENT_ID,
    chromiumPath: values.PUPPETEER_EXECUTABLE_PATH,
  };
});
