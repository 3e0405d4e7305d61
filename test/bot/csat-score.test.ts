import { expect } from 'chai';
import { readCsatScore } from '../../src/bot/csat-score.js';
import type { Entity } from '../../src/nlu/types.js';

const EN = ['1 poor', '2', '3', '4', '5 excellent'];
const HK = ['1 好差', '2', '3', '4', '5 好好'];

describe('CSAT answers: one reader for the bot survey and the agent survey', () => {
  it('reads numbers however they are written', () => {
    expect(['5', '５', '4/5', '三', '2分', '1 star', '4 stars'].map((text) => readCsatScore(text, EN))).to.deep.equal([5, 5, 4, 3, 2, 1, 4]);
  });

  it('reads a label of the rating, typed or tapped, in the reply language', () => {
    expect(readCsatScore('5 excellent', EN)).to.equal(5);
    expect(readCsatScore('1 好差', HK)).to.equal(1);
  });

  it('takes a single number the NLU found in a sentence, within 1–5 only', () => {
    const number = (value: string): Entity => ({ type: 'number', text: value, start: 0, end: 1, value });
    expect(readCsatScore("I'd give it four", EN, [number('4')])).to.equal(4);
    expect(readCsatScore('between 2 and 4', EN, [number('2'), number('4')])).to.equal(undefined);
    expect(readCsatScore('10', EN, [number('10')])).to.equal(undefined);
  });

  it('refuses what is not a rating', () => {
    expect(['6', 'good', '', 'my card'].map((text) => readCsatScore(text, EN))).to.deep.equal([undefined, undefined, undefined, undefined]);
  });
});
