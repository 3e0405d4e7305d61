import { expect } from 'chai';
import { WxBizMsgCrypt, WxCryptError } from '../../adapters/wechat-official/wx-biz-msg-crypt.js';
import { parseWxXml } from '../../adapters/wechat-official/wx-xml.js';

// Tencent's published sample (WXBizMsgCrypt samples, WeCom callback docs).
const SAMPLE = { token: 'QDG6eK', corpId: 'wx5823bf96d3bd56c7', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const ECHO = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
const ENCRYPTED =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';

describe('WXBizMsgCrypt', () => {
  const crypt = new WxBizMsgCrypt(SAMPLE.token, SAMPLE.aesKey, SAMPLE.corpId);

  it('verifies and decrypts Tencent\'s URL-verification sample', () => {
    expect(crypt.verify('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', '1409659589', '263014780', ECHO)).to.equal(true);
    expect(crypt.decrypt(ECHO)).to.equal('1616140317555161061');
  });

  it('verifies and decrypts Tencent\'s message sample, keeping the 64-bit MsgId exact', () => {
    expect(crypt.verify('477715d11cdb4164915debcba66cb864d751f3e6', '1409659813', '1372623149', ENCRYPTED)).to.equal(true);
    expect(crypt.verify('477715d11cdb4164915debcba66cb864d751f3e6', '1409659814', '1372623149', ENCRYPTED)).to.equal(false);
    const fields = parseWxXml(crypt.decrypt(ENCRYPTED));
    expect(fields).to.deep.include({ Content: 'hello', MsgId: '4561255354251345929', FromUserName: 'mycreate' });
  });

  it('round-trips any text (block-aligned lengths included) and refuses another app\'s payload', () => {
    for (const text of ['', 'a', '你好，我想問下嘢 🙂', 'x'.repeat(64 - 20 - SAMPLE.corpId.length), 'y'.repeat(1000)]) {
      expect(crypt.decrypt(crypt.encrypt(text))).to.equal(text);
    }
    const other = new WxBizMsgCrypt(SAMPLE.token, SAMPLE.aesKey, 'wx-other-app');
    expect(() => crypt.decrypt(other.encrypt('hello'))).to.throw(WxCryptError);
    expect(() => crypt.decrypt('not base64 at all!!')).to.throw(WxCryptError);
  });
});
