/** A real conversation model over a real database file in a fresh temp folder, for tests of what sits on top. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conversations, type ConversationsDeps } from '../../src/main/core/conversation/conversations';
import { ConversationStore } from '../../src/main/core/store/conversation-store';
import type { EventName, EventPayload } from '../../src/shared/contract';

/** Conversations backed by `<dir>/conversations.db`; events go to `emit`. */
export function testConversations(
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => unknown = () => undefined,
  dir: string = mkdtempSync(join(tmpdir(), 'talkie-conv-')),
  extra: Partial<ConversationsDeps> = {},
): { conversations: Conversations; store: ConversationStore; dir: string } {
  const { store } = ConversationStore.open(join(dir, 'conversations.db'));
  const conversations = new Conversations({
    store,
    now: () => Date.now(),
    newId: (prefix) => `${prefix}_${randomBytes(6).toString('hex')}`,
    onOpened: (open) => emit('conversation', open),
    onList: (list) => emit('conversations', list),
    ...extra,
  });
  return { conversations, store, dir };
}
