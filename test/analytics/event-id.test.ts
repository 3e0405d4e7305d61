import { expect } from 'chai';
import { newEventId } from '../../src/analytics/event-id.js';

describe('analytics event ids', () => {
  it('sort in the order they were made, so the event tables\' primary keys grow at their end', () => {
    const ids = Array.from({ length: 200 }, () => newEventId());
    expect([...ids].sort()).to.deep.equal(ids);
    expect(new Set(ids).size).to.equal(ids.length);
    for (const id of ids) expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
