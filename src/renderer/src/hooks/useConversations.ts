/**
 * What the window does with conversations: each action calls main through the bridge and applies the
 * answer at once (main's `conversation` / `conversations` events follow and agree). Failures become
 * notices in plain words, except renaming, whose editor shows its own error.
 */
import { useCallback, useMemo, useRef, type Dispatch } from 'react';
import type { OpenConversation } from '../../../shared/types';
import { getBridge } from '../bridge';
import { download } from '../dom/download';
import { conversationTitle } from '../model/format';
import type { UiAction, UiNotice } from '../model/state';

export interface ConversationActions {
  /** Starts an empty conversation and opens it. */
  create(): Promise<void>;
  open(id: string): Promise<void>;
  /** Rejects with main's words (e.g. "Give it a name") for the rename field to show. */
  rename(id: string, title: string): Promise<void>;
  /** Deletes (soft) and offers Undo in a notice. */
  remove(conversation: { id: string; title: string }, isOpen: boolean): Promise<void>;
  /** Saves the conversation as Markdown, the same way the event log saves its JSONL. */
  exportMarkdown(id: string): Promise<void>;
  /** Runs a notice's button (main's "Continue here", or the window's own "Undo"). */
  runNoticeAction(action: NonNullable<UiNotice['action']>): Promise<void>;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

let localNotices = 0;
const localNotice = (level: UiNotice['level'], text: string, action?: UiNotice['action']): UiNotice => ({
  id: `local-${Date.now()}-${++localNotices}`,
  level,
  text,
  at: Date.now(),
  ...(action ? { action } : {}),
});

/** The actions, stable across renders. */
export function useConversations(dispatch: Dispatch<UiAction>): ConversationActions {
  // Only the newest switch is applied: answers to earlier clicks that arrive late must not win.
  const latestSwitch = useRef(0);

  const fail = useCallback(
    (what: string, e: unknown) =>
      dispatch({ type: 'notice', payload: localNotice('error', `${what}: ${message(e)}`) }),
    [dispatch],
  );

  const switchTo = useCallback(
    async (what: string, request: () => Promise<OpenConversation>): Promise<void> => {
      const ticket = ++latestSwitch.current;
      try {
        const payload = await request();
        if (ticket === latestSwitch.current) dispatch({ type: 'conversation', payload });
      } catch (e) {
        fail(what, e);
      }
    },
    [dispatch, fail],
  );

  return useMemo<ConversationActions>(() => {
    const open = (id: string): Promise<void> =>
      switchTo('Could not open the conversation', () => getBridge()['conversation.open']({ id }));
    return {
      create: () => switchTo('Could not start a new conversation', () => getBridge()['conversation.new']({})),
      open,
      rename: async (id, title) => {
        const summary = await getBridge()['conversation.rename']({ id, title });
        dispatch({ type: 'conversation.renamed', summary });
      },
      remove: async ({ id, title }, isOpen) => {
        try {
          await getBridge()['conversation.delete']({ id });
        } catch (e) {
          fail('Could not delete the conversation', e);
          return;
        }
        const undo = {
          label: 'Undo',
          command: 'conversation.restore',
          conversationId: id,
          reopen: isOpen,
        } as const;
        dispatch({
          type: 'notice',
          payload: localNotice('info', `Deleted “${conversationTitle(title)}”.`, undo),
        });
      },
      exportMarkdown: async (id) => {
        try {
          const { filename, markdown } = await getBridge()['conversation.export']({ id });
          download(filename, markdown, 'text/markdown;charset=utf-8');
          dispatch({ type: 'notice', payload: localNotice('info', `Saved ${filename}`) });
        } catch (e) {
          fail('Could not export the conversation', e);
        }
      },
      runNoticeAction: async (action) => {
        switch (action.command) {
          case 'conversation.continueHere':
            await switchTo('Could not continue the conversation here', () =>
              getBridge()['conversation.continueHere']({ id: action.conversationId }),
            );
            return;
          case 'connection.reconnect':
            try {
              await getBridge()['connection.reconnect']({});
            } catch (e) {
              fail('Could not start a new session', e);
            }
            return;
          case 'conversation.restore':
            try {
              await getBridge()['conversation.restore']({ id: action.conversationId });
            } catch (e) {
              fail('Could not restore the conversation', e);
              return;
            }
            if (action.reopen) await open(action.conversationId);
            return;
        }
      },
    };
  }, [dispatch, fail, switchTo]);
}
