import { expect } from 'chai';
import { pickChoice } from '../../src/channels/choice-reply.js';

const OPTIONS = [
  { title: 'Annual leave', value: 'hr.annual_leave' },
  { title: '住房公积金', value: 'hr.housing_fund' },
  { title: 'Payslip', value: 'hr.payslip' },
];

describe('pickChoice', () => {
  it('picks by number in any common form', () => {
    for (const reply of ['2', '２', '2.', '#2', 'no. 2', 'option 2', '第二', '二', '第2个']) expect(pickChoice(reply, OPTIONS)?.value, reply).to.equal('hr.housing_fund');
    expect(pickChoice('4', OPTIONS)).to.equal(undefined);
  });

  it('picks by title or value, ignoring case, width and surrounding punctuation', () => {
    expect(pickChoice('  "annual LEAVE"!', OPTIONS)?.value).to.equal('hr.annual_leave');
    expect(pickChoice('hr.payslip', OPTIONS)?.value).to.equal('hr.payslip');
  });

  it('accepts a reply holding one title only when asked to (the reply is read again afterwards)', () => {
    expect(pickChoice('我想问住房公积金', OPTIONS)).to.equal(undefined);
    expect(pickChoice('我想问住房公积金', OPTIONS, true)?.value).to.equal('hr.housing_fund');
    expect(pickChoice('annual leave or payslip?', OPTIONS, true), 'two titles: no pick').to.equal(undefined);
  });
});
