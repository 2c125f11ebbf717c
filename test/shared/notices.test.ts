import { describe, expect, it } from 'vitest';
import { clearNoticeTopic, upsertNotice } from '../../src/shared/notices';
import type { Notice } from '../../src/shared/types';

const n = (id: string, text: string, topic?: string, level: Notice['level'] = 'info'): Notice => ({
  id,
  level,
  text,
  at: 0,
  ...(topic ? { topic } : {}),
});

describe('notices', () => {
  it('a newer notice of a topic replaces the older one, wherever it was', () => {
    const list = upsertNotice(
      [n('1', 'Azure needs a resource', 'endpoint'), n('2', 'other')],
      n('3', 'Fixed?', 'endpoint'),
      10,
    );
    expect(list.map((x) => x.id)).toEqual(['2', '3']);
  });

  it('the same words at the same level are listed once, the newest', () => {
    let list: Notice[] = [];
    for (let i = 0; i < 5; i += 1) list = upsertNotice(list, n(`r${i}`, 'Reconnected in a new session'), 10);
    expect(list.map((x) => x.id)).toEqual(['r4']);
  });

  it('keeps the newest `max`, and clearing a topic removes only it', () => {
    let list: Notice[] = [];
    for (let i = 0; i < 8; i += 1)
      list = upsertNotice(list, n(`${i}`, `t${i}`, i === 7 ? 'audio' : undefined), 5);
    expect(list.map((x) => x.id)).toEqual(['3', '4', '5', '6', '7']);
    expect(clearNoticeTopic(list, 'audio').map((x) => x.id)).toEqual(['3', '4', '5', '6']);
  });
});
