/**
 * The window: header (connection, event log, settings), the conversation in the middle, the talk dock
 * at the bottom (per-turn options · push to talk · typed message), the event log on the right.
 */
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import type { NextTurnOptions, SettingsView } from '../../shared/types';
import { getBridge } from './bridge';
import { Composer } from './components/Composer';
import { ConnectionStatus } from './components/ConnectionStatus';
import { Conversation } from './components/Conversation';
import { DemoBanner } from './components/DemoBanner';
import { EventLog } from './components/EventLog';
import { LogIcon, SettingsIcon } from './components/icons';
import { Notices } from './components/Notices';
import { PushToTalk } from './components/PushToTalk';
import { SettingsDialog } from './components/SettingsDialog';
import { TurnOptions } from './components/TurnOptions';
import { useAppState } from './hooks/useAppState';
import { usePushToTalk } from './hooks/usePushToTalk';
import { useTurnOptions } from './hooks/useTurnOptions';
import { shownTurns, talkState } from './model/state';

const LOG_OPEN_KEY = 'talkie.eventLogOpen';

const readLogOpen = (): boolean => {
  try {
    return window.localStorage.getItem(LOG_OPEN_KEY) === '1';
  } catch {
    return false;
  }
};

/** The whole product window. */
export function App(): ReactElement {
  const [state, dispatch] = useAppState();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [settingsKey, setSettingsKey] = useState(0);
  const [logOpen, setLogOpen] = useState(readLogOpen);
  const [bannerDismissed, setBannerDismissed] = useState(false);
  const logButton = useRef<HTMLButtonElement>(null);

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
  // The tray's "Settings" item shows the window and asks it to open the dialog.
  useEffect(
    () =>
      getBridge().on('navigate', ({ to }) => {
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
  const dismissNotice = useCallback((id: string) => dispatch({ type: 'notice.dismiss', id }), [dispatch]);
  const toggleLog = (): void => {
    setLogOpen((open) => {
      try {
        window.localStorage.setItem(LOG_OPEN_KEY, open ? '0' : '1');
      } catch {
        // Storage can be unavailable (privacy settings); the panel still toggles.
      }
      return !open;
    });
  };

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
  const newest = state.turns[state.turns.length - 1];
  const talk = talkState(state.turns);

  return (
    <div className={`app ${logOpen ? 'app-log-open' : ''}`}>
      <header className="topbar">
        <div className="brand">
          <img className="brand-mark" src="./favicon.svg" alt="" width={24} height={24} />
          <h1 className="brand-name">Talkie</h1>
        </div>
        <ConnectionStatus connection={state.connection} loadError={state.loadError} />
        <div className="topbar-actions">
          <button
            ref={logButton}
            type="button"
            className="button button-quiet"
            aria-expanded={logOpen}
            aria-controls="event-log"
            onClick={toggleLog}
          >
            <LogIcon /> Event log
          </button>
          <button
            type="button"
            className="button button-quiet"
            aria-haspopup="dialog"
            onClick={() => openSettings()}
            disabled={!state.settings}
          >
            <SettingsIcon /> Settings
          </button>
        </div>
      </header>

      <div className="workspace">
        <main className="main">
          {state.connection?.demoMode && !bannerDismissed && (
            <DemoBanner
              onOpenSettings={() => openSettings(true)}
              onDismiss={() => setBannerDismissed(true)}
            />
          )}
          <Conversation turns={turns} />
          <section className="dock" aria-label="Talk">
            <TurnOptions options={turnOptions} />
            <PushToTalk
              state={talk}
              control={ptt}
              hotkey={state.hotkey}
              ignored={newest?.outcome?.kind === 'ignored'}
              onStop={stopReply}
            />
            <Composer beforeSend={turnOptions.flush} />
          </section>
        </main>
        {logOpen && (
          <EventLog
            rows={state.logRows}
            onCleared={() => dispatch({ type: 'log.cleared' })}
            onClose={toggleLog}
          />
        )}
      </div>

      <Notices notices={state.notices} onDismiss={dismissNotice} />
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
