import { buildDelivery, deliveryShape, type TextChannelDelivery } from './text-channel.js';
import { defineConfigSection, invalidSetting, optionalString } from './section.js';

/** Settings of the wechat feature (README.md "### WeChat" and .env.example list them). */
export type WechatSettings =
  | { readonly enabled: false }
  | (TextChannelDelivery & {
      readonly enabled: true;
      /** wechaty puppet package, e.g. wechaty-puppet-service. */
      readonly puppet: string;
      readonly puppetToken: string | undefined;
      readonly puppetEndpoint: string | undefined;
      /** wechaty's memory-card name: where the puppet keeps its login between restarts. */
      readonly sessionName: string;
    });

const shape = {
  ...deliveryShape('WECHAT', { maxTextLength: 1500, perChat: 1, overall: 5 }),
  WECHATY_PUPPET: optionalString,
  WECHATY_PUPPET_SERVICE_TOKEN: optionalString,
  WECHATY_PUPPET_SERVICE_ENDPOINT: optionalString,
  WECHAT_SESSION_NAME: optionalString,
};

export const wechatConfigSection = defineConfigSection(shape, (values): WechatSettings => {
  if (!values.WECHAT_ENABLED) return { enabled: false };
  const puppet = values.WECHATY_PUPPET;
  if (!puppet) invalidSetting('WECHATY_PUPPET', undefined, 'required when WECHAT_ENABLED=true (e.g. wechaty-puppet-service)');
  if (puppet === 'wechaty-puppet-service' && !values.WECHATY_PUPPET_SERVICE_TOKEN) {
    invalidSetting('WECHATY_PUPPET_SERVICE_TOKEN', undefined, 'required with WECHATY_PUPPET=wechaty-puppet-service');
  }
  return {
    enabled: true,
    ...buildDelivery(values, 'WECHAT'),
    puppet,
    puppetToken: values.WECHATY_PUPPET_SERVICE_TOKEN,
    puppetEndpoint: values.WECHATY_PUPPET_SERVICE_ENDPOINT,
    sessionName: values.WECHAT_SESSION_NAME ?? '.data/wechat/carebot',
  };
});
