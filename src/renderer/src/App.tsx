/**
 * The window: header (conversations, connection, event log, settings), the Conversations list on the left,
 * the open conversation in the middle, the talk dock at the bottom (per-turn options · push to talk · typed
 * message), the event log on the right.
 */
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type ReactElement,
} from 'react';
import type { NextTurnOptions, SettingsView } from '../../shared/types';
import { totalUsage, usageLine } from '../../shared/usage';
import { getBridge } from './bridge';
import { Composer } from './components/Composer';
import { ConnectionStatus } from './components/ConnectionStatus';
import { Conversation } from './components/Conversation';
import { ConversationHeader } from './components/ConversationHeader';
import { ConversationsPanel } from './components/ConversationsPanel';
import { DemoBanner } from './components/DemoBanner';
import { clampLogWidth, EventLog } from './components/EventLog';
import { LogIcon, SettingsIcon, SidebarIcon } from './components/icons';
import { Notices } from './components/Notices';
import { PushToTalk } from './components/PushToTalk';
import { RateLimits } from './components/RateLimits';
import { SettingsDialog } from './components/SettingsDialog';
import { TurnOptions, type ModeChoice } from './components/TurnOptions';
import { useAppState } from './hooks/useAppState';
import { useConversations } from './hooks/useConversations';
import { useNewConversationKey } from './hooks/useNewConversationKey';
import { usePushToTalk } from './hooks/usePushToTalk';
import { useTurnOptions } from './hooks/useTurnOptions';
import { newConversationShortcut } from './model/shortcut';
import { lastPressIgnored, listedConversations, shownTurns, talkNote, talkState } from './model/state';

const LOG_OPEN_KEY = 'talkie.eventLogOpen';
const LOG_WIDTH_KEY = 'talkie.eventLogWidth';
const DEFAULT_LOG_WIDTH = 440;
const NAV_OPEN_KEY = 'talkie.conversationsOpen';
/** At this width and below the Conversations list is a drawer over the conversation, not a column. */
const NARROW = '(max-width: 760px)';

const readFlag = (key: string): boolean | null => {
  try {
    const value = window.localStorage.getItem(key);
    return value === null ? null : value === '1';
  } catch {
    return null;
  }
};

const writeFlag = (key: string, on: boolean): void => {
  try {
    window.localStorage.setItem(key, on ? '1' : '0');
  } catch {
    // Storage can be unavailable (privacy settings); the panel still toggles.
  }
};

const readLogOpen = (): boolean => readFlag(LOG_OPEN_KEY) ?? false;
const readLogWidth = (): number => {
  try {
    const saved = Number(window.localStorage.getItem(LOG_WIDTH_KEY));
    return clampLogWidth(saved > 0 ? saved : DEFAULT_LOG_WIDTH, window.innerWidth);
  } catch {
    return DEFAULT_LOG_WIDTH;
  }
};
const isNarrow = (): boolean => window.matchMedia(NARROW).matches;
/** A narrow window starts with the list closed (it would cover the conversation); a wide one as last left. */
const readNavOpen = (): boolean => !isNarrow() && (readFlag(NAV_OPEN_KEY) ?? true);

/** The whole product window. */
export function App(): ReactElement {
  const [state, dispatch] = useAppState();
  const [settingsOpen, setSettingsOpen] = useState(false);
  // Bumped by the tray's "Capture screen…" (the desktop app), which the message box answers.
  const [captureRequest, setCaptureRequest] = useState(0);
  const [settingsKey, setSettingsKey] = useState(0);
  const [logOpen, setLogOpen] = useState(readLogOpen);
  const [logWidth, setLogWidth] = useState(readLogWidth);
  const resizeLog = useCallback((width: number) => {
    setLogWidth(width);
    try {
      window.localStorage.setItem(LOG_WIDTH_KEY, String(width));
    } catch {
      // Storage can be unavailable (privacy settings); the width then lasts until the page reloads.
    }
  }, []);
  const [navOpen, setNavOpen] = useState(readNavOpen);
  const [bannerDismissed, setBannerDismissed] = useState(false);
  const logButton = useRef<HTMLButtonElement>(null);
  const navButton = useRef<HTMLButtonElement>(null);
  const conversations = useConversations(dispatch);

  const onNextConfirmed = useCallback(
    (payload: NextTurnOptions) => dispatch({ type: 'next', payload }),
    [dispatch],
  );
  const turnOptions = useTurnOptions(state.next, onNextConfirmed);
  const ptt = usePushToTalk(turnOptions.flush);

  const [settingsForKey, setSettingsForKey] = useState(false);
  const openSettings = (forKey = false): void => {
    setSettingsForKey(forKey);
    setSettingsKey((k) => k + 1);
    setSettingsOpen(true);
  };
  const closeSettings = useCallback(() => setSettingsOpen(false), []);
  // Browser mode: a tool the user allowed opens a link main has checked; this browser is the default one.
  useEffect(
    () =>
      getBridge().on('link.open', ({ url }) => {
        window.open(url, '_blank', 'noopener,noreferrer');
      }),
    [],
  );
  // The tray's "Settings" item shows the window and asks it to open the dialog.
  useEffect(
    () =>
      getBridge().on('navigate', ({ to }) => {
        if (to === 'capture') {
          setCaptureRequest((n) => n + 1);
          return;
        }
        if (to !== 'settings') return;
        setSettingsForKey(false);
        setSettingsKey((k) => k + 1);
        setSettingsOpen(true);
      }),
    [],
  );
  const onSettingsView = useCallback(
    (payload: SettingsView) => dispatch({ type: 'settings', payload }),
    [dispatch],
  );
  const [modeError, setModeError] = useState<string | null>(null);
  const chooseMode = useCallback(
    (modeId: string) => {
      const bridge = getBridge();
      bridge['settings.update']({ modeId })
        .then((result) => {
          if (result.ok) {
            setModeError(null);
            onSettingsView(result.view);
          } else setModeError(Object.values(result.errors)[0] ?? 'That mode cannot be chosen');
        })
        .catch((e: unknown) => setModeError(e instanceof Error ? e.message : String(e)));
    },
    [onSettingsView],
  );
  const modeChoice: ModeChoice | undefined = state.settings
    ? {
        modes: state.settings.settings.modes,
        modeId: state.settings.settings.modeId,
        choose: chooseMode,
        error: modeError,
      }
    : undefined;
  const dismissNotice = useCallback((id: string) => dispatch({ type: 'notice.dismiss', id }), [dispatch]);
  const toggleLog = (): void => {
    setLogOpen((open) => {
      writeFlag(LOG_OPEN_KEY, !open);
      return !open;
    });
  };

  // The drawer (narrow windows) is a passing visit: it closes after a choice and is not remembered.
  const setNav = (open: boolean): void => {
    setNavOpen(open);
    if (!isNarrow()) writeFlag(NAV_OPEN_KEY, open);
  };
  const closeDrawer = (): void => {
    if (!isNarrow()) return;
    setNavOpen(false);
    navButton.current?.focus();
  };
  const toggleNav = (): void => {
    setNav(!navOpen);
    // Opening the drawer takes focus into it, so a keyboard user lands where they meant to go.
    if (!navOpen && isNarrow())
      window.requestAnimationFrame(() => {
        const panel = document.getElementById('conversations');
        (
          panel?.querySelector<HTMLElement>('[aria-current="true"]') ?? panel?.querySelector('input')
        )?.focus();
      });
  };
  const openConversation = (id: string): void => {
    if (isNarrow()) setNavOpen(false);
    void conversations.open(id);
  };
  const { create } = conversations;
  const newConversation = useCallback(() => {
    if (isNarrow()) setNavOpen(false);
    void create();
  }, [create]);
  useNewConversationKey(state.platform, newConversation);
  const conversation = state.conversation;

  const stopReply = (): void => {
    const bridge = getBridge();
    bridge['reply.stop']({}).catch((e: unknown) => {
      const text = `Could not stop the reply: ${e instanceof Error ? e.message : String(e)}`;
      dispatch({
        type: 'notice',
        payload: { id: `local-${Date.now()}`, level: 'error', text, at: Date.now() },
      });
    });
  };

  const turns = shownTurns(state.turns);
  // Memoised: the list's identity is the search's cue to run again, and the window re-renders at delta rate.
  const listed = useMemo(
    () => listedConversations(state.conversations, conversation, turns.length),
    [state.conversations, conversation, turns.length],
  );
  const prices = state.settings?.settings.prices;
  // The conversation's cost: every turn's tokens, each priced with its own model's row of the table in force.
  const cost = useMemo(() => {
    const used = state.turns.filter((t) => t.usage);
    return used.length > 0 && prices
      ? usageLine(
          totalUsage(
            used.map((t) => t.usage),
            prices,
          ),
        )
      : null;
  }, [state.turns, prices]);
  const talk = talkState(state.turns);
  const lost = state.transport === 'lost';
  const offline = state.connection !== null && state.connection.state !== 'connected';

  return (
    <div
      className={`app ${logOpen ? 'app-log-open' : ''} ${navOpen ? 'app-nav-open' : ''}`}
      // A custom property set through the DOM (not inline markup), so the strict CSP allows it.
      style={{ '--log-width': `${logWidth}px` } as CSSProperties}
    >
      <header className="topbar">
        <button
          ref={navButton}
          type="button"
          className="button button-quiet topbar-toggle"
          aria-expanded={navOpen}
          aria-controls="conversations"
          onClick={toggleNav}
        >
          <SidebarIcon /> <span className="topbar-label">Conversations</span>
        </button>
        <div className="brand">
          <img className="brand-mark" src="./favicon.svg" alt="" width={24} height={24} />
          <h1 className="brand-name">Talkie</h1>
        </div>
        <ConnectionStatus
          connection={state.connection}
          loadError={state.loadError}
          transport={state.transport}
        />
        <RateLimits limits={state.connection?.rateLimits} />
        <div className="topbar-actions">
          <button
            ref={logButton}
            type="button"
            className="button button-quiet"
            aria-expanded={logOpen}
            aria-controls="event-log"
            onClick={toggleLog}
          >
            <LogIcon /> <span className="topbar-label">Event log</span>
          </button>
          <button
            type="button"
            className="button button-quiet"
            aria-haspopup="dialog"
            onClick={() => openSettings()}
            disabled={!state.settings}
          >
            <SettingsIcon /> <span className="topbar-label">Settings</span>
          </button>
        </div>
      </header>

      <div className="workspace">
        {navOpen && (
          <>
            <ConversationsPanel
              conversations={listed}
              openId={conversation?.id ?? null}
              shortcut={newConversationShortcut(state.platform)}
              onNew={newConversation}
              onOpen={openConversation}
              onEscape={closeDrawer}
            />
            {/* Narrow windows only (CSS): a click beside the drawer closes it. */}
            <div className="conv-backdrop" aria-hidden="true" onClick={closeDrawer} />
          </>
        )}
        <main className="main">
          <ConversationHeader
            key={conversation?.id}
            conversation={conversation}
            cost={cost}
            onRename={(title) =>
              conversation ? conversations.rename(conversation.id, title) : Promise.resolve()
            }
            onExport={() => {
              if (conversation) void conversations.exportMarkdown(conversation.id);
            }}
            onDelete={() => {
              if (conversation) void conversations.remove(conversation, true);
            }}
          />
          {state.connection?.demoMode && !bannerDismissed && (
            <DemoBanner
              onOpenSettings={() => openSettings(true)}
              onDismiss={() => setBannerDismissed(true)}
            />
          )}
          <Notices
            notices={state.notices}
            onDismiss={dismissNotice}
            onAction={(action) => void conversations.runNoticeAction(action)}
          />
          <Conversation
            // Opening another conversation starts at its newest turn.
            key={`conversation-${conversation?.id ?? ''}`}
            turns={turns}
            lost={lost}
            offline={offline}
            prices={prices}
          />
          <section className="dock" aria-label="Talk">
            <TurnOptions options={turnOptions} mode={modeChoice} />
            <PushToTalk
              state={talk}
              control={ptt}
              hotkey={state.hotkey}
              ignored={lastPressIgnored(state.turns)}
              note={talkNote(state)}
              onStop={stopReply}
            />
            <Composer
              beforeSend={turnOptions.flush}
              attachments={state.attachments}
              shell={state.shell}
              captureRequest={captureRequest}
              unavailable={
                lost ? 'Send is off until Talkie is reachable again: your message stays here.' : null
              }
            />
          </section>
        </main>
        {logOpen && (
          <EventLog
            rows={state.logRows}
            onCleared={() => dispatch({ type: 'log.cleared' })}
            onClose={toggleLog}
            width={logWidth}
            onResize={resizeLog}
          />
        )}
      </div>

      {state.settings && (
        <SettingsDialog
          key={settingsKey}
          open={settingsOpen}
          forKey={settingsForKey}
          view={state.settings}
          shell={state.shell}
          hotkey={state.hotkey}
          onClose={closeSettings}
          onViewChange={onSettingsView}
        />
      )}
    </div>
  );
}
