import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationStorePort } from '../../../../src/main/core/store/port';
import { manualClock, STORE_KINDS, turn, type StoreUnderTest } from './helpers';

const clock = manualClock();

// The same search on both stores: SQLite's full-text index, and the memory store's word match.
describe.each(STORE_KINDS)('%s conversation search', (_kind, openStore) => {
  let under: StoreUnderTest;
  let store: ConversationStorePort;

  beforeEach(() => {
    clock.set(1000);
    under = openStore(clock.now);
    store = under.store;
    store.createConversation({ id: 'cooking', title: 'Risotto', createdAt: 1000, endpoint: null });
    store.createConversation({ id: 'travel', title: 'Lisbon', createdAt: 1000, endpoint: null });
    store.saveTurn(
      turn({
        id: 'c1',
        conversationId: 'cooking',
        input: 'voice',
        userText: 'How long should I stir the risotto?',
        assistantText: 'Stir it gently for about eighteen minutes, adding stock a ladle at a time.',
      }),
    );
    clock.set(2000);
    store.saveTurn(
      turn({
        id: 't1',
        conversationId: 'travel',
        userText: 'What should I see in Lisbon?',
        assistantText: 'The Alfama district, the tram 28 and the pastéis de nata in Belém.',
      }),
    );
  });
  afterEach(() => under.dispose());

  it('finds words the user said (transcribed) and words of the replies, marking them', () => {
    expect(store.search('stir risotto')).toEqual([
      {
        id: 'cooking',
        title: 'Risotto',
        createdAt: 1000,
        updatedAt: 1000,
        turnCount: 1,
        snippet: 'How long should I «stir» the «risotto»?',
      },
    ]);
    const [hit] = store.search('ladle');
    expect(hit?.id).toBe('cooking');
    expect(hit?.snippet).toContain('«ladle»');
  });

  it('matches without accents and while the last word is still being typed', () => {
    expect(store.search('pasteis').map((h) => h.id)).toEqual(['travel']);
    expect(store.search('Alfa').map((h) => h.id)).toEqual(['travel']);
    expect(store.search('Alfama').map((h) => h.snippet)).toEqual([expect.stringContaining('«Alfama»')]);
  });

  it('puts the most recently active conversation first, once each, with its newest matching message', () => {
    store.saveTurn(
      turn({
        id: 'c2',
        conversationId: 'cooking',
        index: 2,
        userText: 'Should the stock be hot?',
        assistantText: 'Yes, keep the stock simmering.',
      }),
    );
    clock.set(3000);
    store.saveTurn(
      turn({ id: 'c3', conversationId: 'cooking', index: 3, userText: 'Thanks', assistantText: 'Enjoy!' }),
    );
    const hits = store.search('should');
    expect(hits.map((h) => h.id)).toEqual(['cooking', 'travel']);
    expect(hits[0]?.snippet).toBe('«Should» the stock be hot?');
    expect(store.search('should', 1).map((h) => h.id)).toEqual(['cooking']);
    expect(store.search('should', Infinity).map((h) => h.id)).toEqual(['cooking', 'travel']);
    expect(store.search('should', 0)).toEqual([]);
  });

  it('does not find words of deleted conversations', () => {
    store.deleteConversation('travel');
    expect(store.search('Lisbon')).toEqual([]);
    expect(store.search('should').map((h) => h.id)).toEqual(['cooking']);
  });

  it('finds a reply again after it was corrected, and not its old words', () => {
    store.saveTurn(
      turn({
        id: 't1',
        conversationId: 'travel',
        userText: 'What should I see in Porto?',
        assistantText: 'The Ribeira.',
      }),
    );
    expect(store.search('Lisbon')).toEqual([]);
    expect(store.search('Porto Ribeira').map((h) => h.id)).toEqual(['travel']);
  });

  it('takes search syntax as plain words, so no query can fail', () => {
    for (const query of [
      '"unbalanced',
      'AND OR',
      'NOT',
      'stir AND',
      '(risotto',
      'title:risotto',
      'NEAR(stir risotto)',
      '*',
      '^stir',
      'risotto"',
      "l'alfama",
      '-',
      '',
      '   ',
    ])
      expect(() => store.search(query), query).not.toThrow();
    expect(store.search('"risotto').map((h) => h.id)).toEqual(['cooking']);
    expect(store.search('stir AND').map((h) => h.id)).toEqual([]);
    expect(store.search('NEAR(stir risotto)').map((h) => h.id)).toEqual([]);
    expect(store.search('(risotto').map((h) => h.id)).toEqual(['cooking']);
    expect(store.search('?!')).toEqual([]);
  });
});
