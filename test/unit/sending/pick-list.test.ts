import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PickList } from '../../../src/core/users/pickList';

interface User {
  id: string;
  name: string;
}
const user = (id: string, name = id): User => ({ id, name });

/** What the quick pick gets: each row's user id, and `!` for a row shown whatever the filter. */
function rows(list: PickList<User>): string[] {
  return list.entries().map(({ user, alwaysShow }) => `${user.id}${alwaysShow ? '!' : ''}`);
}

describe('the user picker list', () => {
  it('a user keeps its index across searches, so a pick made on an earlier list names the same user', () => {
    const list = new PickList<User>();
    list.showResults('', [user('alan'), user('grace'), user('ada')]);
    const adaOnFirstList = rows(list).indexOf('ada');
    assert.equal(adaOnFirstList, 2);

    list.clearResults();
    list.showResults('lovelace', [user('ada', 'Ada Lovelace')]);
    // A list rebuilt per search would put Ada at index 0, and index 2 would name nobody.
    assert.deepEqual(rows(list), ['alan', 'grace', 'ada!']);
    assert.equal(list.entries()[adaOnFirstList].user.name, 'Ada Lovelace', 'refreshed in place');

    list.clearResults();
    list.showResults('ho', [user('hopper'), user('grace')]);
    assert.deepEqual(rows(list), ['alan', 'grace!', 'ada', 'hopper!']);
  });

  it("only a typed search's results are shown whatever the filter; none once the query changes", () => {
    const list = new PickList<User>();
    list.showResults('', [user('alan')]);
    assert.deepEqual(rows(list), ['alan'], 'the first listing is filtered as the user types');
    list.showResults(' +1555 ', [user('alan')]);
    assert.deepEqual(rows(list), ['alan!'], 'found by phone: its row shows no phone');
    list.clearResults();
    assert.deepEqual(rows(list), ['alan']);
  });
});
