import { expect } from 'chai';
import { isRetryableWechatError, WechatApiError } from '../../adapters/wechat-official/wechat-api.js';

describe('WeChat API errcodes and the send retry policy', () => {
  it('retries what a later try can fix: busy (-1), the per-minute limit (45011), a token gone bad, network failures', () => {
    for (const errcode of [-1, 45011, 40001, 42001]) expect(isRetryableWechatError(new WechatApiError(errcode, 'x')), String(errcode)).to.equal(true);
    expect(isRetryableWechatError(new TypeError('fetch failed'))).to.equal(true);
  });

  it('reports at once what fails the same way every time, the daily quota (45009) included', () => {
    for (const errcode of [45009, 45015, 45047, 40003]) expect(isRetryableWechatError(new WechatApiError(errcode, 'x')), String(errcode)).to.equal(false);
  });
});
