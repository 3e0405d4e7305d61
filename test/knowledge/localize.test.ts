import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { toTaiwanMandarin } from '../../src/knowledge/localize.js';
import { PACKS_DIR } from './helpers.js';

/** Every zh-CN text in the packs that has no zh-TW of its own, so carebot derives one. */
function derivedTexts(): string[] {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (typeof record['zh-CN'] === 'string' && record['zh-TW'] === undefined) texts.push(record['zh-CN']);
    for (const child of Object.values(record)) walk(child);
  };
  const files = readdirSync(PACKS_DIR, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.yaml'));
  for (const file of files) walk(parse(readFileSync(join(PACKS_DIR, file), 'utf8')));
  return texts;
}

describe('zh-TW derived from zh-CN', () => {
  it('converts phrases the Taiwan way', () => {
    expect(toTaiwanMandarin('请在设置中查看信息')).to.equal('請在設定中查看資訊');
    expect(toTaiwanMandarin('软件和网络')).to.equal('軟體和網路');
    expect(toTaiwanMandarin('登录后激活银行卡')).to.equal('登入後啟用銀行卡');
  });

  it('writes 並 for "and", 併 only for "merge"', () => {
    expect(toTaiwanMandarin('请在人事 App 提交并附出生证明')).to.equal('請在人事 App 提交並附出生證明');
    expect(toTaiwanMandarin('前台可协助安排交通并为您叫出租车')).to.equal('前臺可協助安排交通並為您叫計程車');
    expect(toTaiwanMandarin('合并账户和兼并')).to.equal('合併帳戶和兼併');
  });

  it("keeps the service sense where OpenCC's Taiwan phrases pick the programming one", () => {
    expect(toTaiwanMandarin('我们的 SWIFT 代码')).to.equal('我們的 SWIFT 代碼');
    expect(toTaiwanMandarin('开户所需文件')).to.equal('開戶所需文件');
    expect(toTaiwanMandarin('选择假期类型')).to.equal('選擇假期類型');
    expect(toTaiwanMandarin('疾病或治疗项目')).to.equal('疾病或治療項目');
    expect(toTaiwanMandarin('每周四发布下周安排')).to.equal('每週四發布下週安排');
  });

  it('leaves none of the reviewed mistakes in the packs', () => {
    const texts = derivedTexts();
    expect(texts.length).to.be.greaterThan(100);
    for (const text of texts) {
      const taiwan = toTaiwanMandarin(text);
      expect(taiwan, text).to.not.match(/程式碼|型別|檔案|專案|釋出|賬|(?<![合兼吞歸一])併/u);
    }
  });
});
