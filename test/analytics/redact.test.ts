import { expect } from 'chai';
import { luhn, redact, redactPii, validCnId, validHkId } from '../../src/analytics/redact.js';

describe('analytics: PII redaction', () => {
  it('replaces each kind of personal data in English text with a typed placeholder', () => {
    expect(redact('Mail me at jane.doe+hk@example.com please')).to.equal('Mail me at [EMAIL] please');
    expect(redact('Call +852 9123 4567 or 9876 5432')).to.equal('Call [PHONE] or [PHONE]');
    expect(redact('My card is 4111 1111 1111 1111')).to.equal('My card is [CARD]');
    expect(redact('HKID A123456(3) on file')).to.equal('HKID [HKID] on file');
    // Six digits in all, the fewest any pattern takes: texts with fewer are not scanned.
    expect(redact('HKID A000100(A) on file')).to.equal('HKID [HKID] on file');
    expect(redactPii('身份證 Ａ０００１００（Ａ）').found).to.deep.equal({ hkId: 1 });
    expect(redact('ID 11010519491231002X here')).to.equal('ID [CN_ID] here');
  });

  it('does the same in Chinese text', () => {
    expect(redact('我嘅電話係91234567，電郵係chan.taiman@example.hk')).to.equal('我嘅電話係[PHONE]，電郵係[EMAIL]');
    expect(redact('我的手机号是13812345678')).to.equal('我的手机号是[PHONE]');
    expect(redact('信用卡號碼：5555-5555-5555-4444')).to.equal('信用卡號碼：[CARD]');
    expect(redact('身份證 A123456(3)')).to.equal('身份證 [HKID]');
    expect(redact('身份证号11010519491231002X')).to.equal('身份证号[CN_ID]');
  });

  it('leaves prices, dates, order numbers and failed check digits alone', () => {
    const ordinary = [
      'The plan costs $1,299.00 a month, HK$388 or ¥2500',
      'I paid on 2024-05-01 and again on 20240612',
      'Order number 58231234 has not arrived',
      '訂單 87654321 未到',
      'card 4111 1111 1111 1112 fails Luhn',
      'A123456(4) has a wrong check digit',
      '110105194912310021 has a wrong checksum',
      'Room 1203, 15/F, 3 people, 45 minutes',
    ];
    for (const text of ordinary) expect(redact(text), text).to.equal(text);
  });

  it('finds full-width, spaced, dotted and lower-case forms (NFKC before matching), keeping the rest as written', () => {
    expect(redact('我的手机号是１３８１２３４５６７８，谢谢')).to.equal('我的手机号是[PHONE]，谢谢');
    expect(redact('身份證 A123456（3）（已核實）')).to.equal('身份證 [HKID]（已核實）');
    expect(redact('my hkid is a123456(3)')).to.equal('my hkid is [HKID]');
    expect(redact('card 4111.1111.1111.1111 expires')).to.equal('card [CARD] expires');
    expect(redact('卡号４１１１　１１１１　１１１１　１１１１')).to.equal('卡号[CARD]');
    expect(redact('身份证 110105 19491231 002X 和 110105-1949-1231-002x')).to.equal('身份证 [CN_ID] 和 [CN_ID]');
    expect(redact('ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ')).to.equal('[EMAIL]');
  });

  it('finds Hong Kong landlines and mainland mobiles written with 86 but no +', () => {
    expect(redact('office 2345 6789, fax 3123-4567, home 23456789')).to.equal('office [PHONE], fax [PHONE], home [PHONE]');
    expect(redact('landline 2011 0523')).to.equal('landline [PHONE]');
    expect(redact('852 3456 7890')).to.equal('[PHONE]');
    expect(redact('请打 86 138 1234 5678 或 8613912345678')).to.equal('请打 [PHONE] 或 [PHONE]');
    expect(redactPii('86 13812345678').found).to.deep.equal({ phone: 1 });
  });

  it('still leaves ordinary numbers alone in full-width and dotted forms', () => {
    const ordinary = [
      '价格￥１２９９，日期２０２４－０５－０１',
      'version 1.2.3.4 and 3.14159',
      'paid 20240612 for order 4111.1111.1111.1112',
      '訂單編號 ８７６５４３２１ 未到',
      'a123456(4) and x1234567 are not IDs',
      'Room 1203, 15/F, 3 people, 45 minutes',
    ];
    for (const text of ordinary) expect(redact(text), text).to.equal(text);
  });

  it('finds each kind when its digits are all the text has (patterns are skipped for texts with fewer digits than they need)', () => {
    expect(redact('Visa 4222222222222 ok')).to.equal('Visa [CARD] ok');
    expect(redact('call +1 2 34567')).to.equal('call [PHONE]');
    expect(redact('landline 2011 0523')).to.equal('landline [PHONE]');
    expect(redact('手机13812345678')).to.equal('手机[PHONE]');
    expect(redact('ID 11010519491231002X')).to.equal('ID [CN_ID]');
    expect(redact('HKID A000100(A)')).to.equal('HKID [HKID]');
  });

  it('counts what it found', () => {
    expect(redactPii('a@b.co 91234567 a@b.co').found).to.deep.equal({ email: 2, phone: 1 });
  });

  it('checks the check digits', () => {
    expect(luhn('4111111111111111')).to.equal(true);
    expect(luhn('4111111111111112')).to.equal(false);
    expect(validHkId('A', '123456', '3')).to.equal(true);
    expect(validHkId('AB', '987654', '3')).to.equal(true);
    expect(validCnId('11010519491231002X')).to.equal(true);
    expect(validCnId('110105194912310021')).to.equal(false);
  });
});
