import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';
import { hasErrorCode } from '../../src/errors.js';

const CREDENTIALS = {
  WHATSAPP_CLOUD_VERIFY_TOKEN: 'verify-me',
  WHATSAPP_CLOUD_APP_SECRET: 'app-secret',
  WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-token',
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: '106540352242922',
};

function rejection(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(hasErrorCode(error, 'CONFIG_INVALID'), String(error)).to.equal(true);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('WhatsApp Cloud API configuration', () => {
  it('is off without credentials', () => {
    expect(loadConfig({}).whatsappCloud).to.deep.equal({ enabled: false });
  });

  it('is on with the four credentials, on the Graph API by default', () => {
    const settings = loadConfig(CREDENTIALS).whatsappCloud;
    if (!settings.enabled) throw new Error('expected the channel on');
    expect(settings).to.include({ verifyToken: 'verify-me', appSecret: 'app-secret', accessToken: 'EAAG-token', phoneNumberId: '106540352242922' });
    expect(settings.apiBaseUrl).to.equal('https://graph.facebook.com/v21.0');
    expect(settings.maxTextLength).to.equal(4096);
    expect(settings.templateName).to.equal(undefined);
    expect(settings.templateLanguages).to.deep.equal({ en: 'en', 'zh-CN': 'zh_CN', 'zh-TW': 'zh_TW', 'zh-HK': 'zh_HK' });
  });

  it('stops startup on a partial configuration, naming what is missing', () => {
    const { WHATSAPP_CLOUD_ACCESS_TOKEN: _token, ...partial } = CREDENTIALS;
    expect(rejection(partial)).to.include('WHATSAPP_CLOUD_ACCESS_TOKEN=(unset)').and.include('missing: WHATSAPP_CLOUD_ACCESS_TOKEN');
    expect(rejection({ WHATSAPP_CLOUD_APP_SECRET: 'only-this' })).to.include('WHATSAPP_CLOUD_VERIFY_TOKEN').and.include('WHATSAPP_CLOUD_PHONE_NUMBER_ID');
  });

  it('reads the template and its languages per locale, and the base URL', () => {
    const settings = loadConfig({
      ...CREDENTIALS,
      WHATSAPP_CLOUD_API_BASE_URL: 'http://127.0.0.1:9999/v21.0/',
      WHATSAPP_CLOUD_TEMPLATE_NAME: 'agent_reply',
      WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: 'en=en_US, zh-HK=zh_HK',
    }).whatsappCloud;
    if (!settings.enabled) throw new Error('expected the channel on');
    expect(settings.apiBaseUrl).to.equal('http://127.0.0.1:9999/v21.0');
    expect(settings.templateName).to.equal('agent_reply');
    expect(settings.templateLanguages).to.include({ en: 'en_US', 'zh-HK': 'zh_HK', 'zh-CN': 'zh_CN' });
  });

  it('rejects a bad phone number id, template name or language list', () => {
    expect(rejection({ ...CREDENTIALS, WHATSAPP_CLOUD_PHONE_NUMBER_ID: '+852 9123 4567' })).to.include('WHATSAPP_CLOUD_PHONE_NUMBER_ID');
    expect(rejection({ ...CREDENTIALS, WHATSAPP_CLOUD_TEMPLATE_NAME: 'Agent Reply' })).to.include('WHATSAPP_CLOUD_TEMPLATE_NAME');
    expect(rejection({ ...CREDENTIALS, WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: 'fr=fr' })).to.include('WHATSAPP_CLOUD_TEMPLATE_LANGUAGES');
  });
});
