/**
 * A stand-in for xdg-desktop-portal on a private session bus: it owns org.freedesktop.portal.Desktop
 * and implements GlobalShortcuts the way the real one does (CreateSession and BindShortcuts reply
 * with a Request path and answer through that Request's Response signal), and emits Activated /
 * Deactivated when the test says the key went down or up. It can also lack the interface, decline
 * the bind, or vanish from the bus.
 */
import type { EventEmitter } from 'node:events';
import { Message, Variant, sessionBus, type MessageBus } from '@jellybrick/dbus-next';

const PORTAL_NAME = 'org.freedesktop.portal.Desktop';
const PORTAL_PATH = '/org/freedesktop/portal/desktop';
const SHORTCUTS = 'org.freedesktop.portal.GlobalShortcuts';
const REQUEST = 'org.freedesktop.portal.Request';

export interface FakePortalOptions {
  /** The portal runs but its backend has no GlobalShortcuts (as with older GNOME). */
  withoutGlobalShortcuts?: boolean;
  /** The Response code BindShortcuts answers with: 0 bound, 1 the user declined, 2 failed. */
  bindResponse?: 0 | 1 | 2;
  /** What the "desktop" says it bound; defaults to the preferred trigger it was asked for. */
  assignTrigger?: string;
}

/** One shortcut as BindShortcuts received it. */
export interface BoundShortcut {
  id: string;
  description: string;
  preferredTrigger: string;
}

export interface FakePortal {
  /** Shortcuts bound so far, per session path. */
  bound: Map<string, BoundShortcut[]>;
  /** Session paths closed by the client (Session.Close). */
  closed: string[];
  /** Resolves once a client has bound a shortcut (the latest session). */
  whenBound(): Promise<string>;
  /** The key went down / came up: Activated / Deactivated for every bound session. */
  activate(id?: string): void;
  deactivate(id?: string): void;
  /** Leaves the bus (as a crashing portal would): its name goes with the connection. */
  vanish(): void;
}

const str = (v: unknown): string => String(v instanceof Variant ? v.value : (v ?? ''));

/** Connects to the bus at `address` and takes the portal's name. */
export async function startFakePortal(address: string, options: FakePortalOptions = {}): Promise<FakePortal> {
  const bus: MessageBus = sessionBus({ busAddress: address });
  // The test ends the bus under us; nothing to report. (The typed events leave out 'error'.)
  (bus as unknown as EventEmitter).on('error', () => undefined);
  const bound = new Map<string, BoundShortcut[]>();
  const closed: string[] = [];
  let boundWaiters: Array<(session: string) => void> = [];
  let latest: string | null = null;

  const requestPath = (sender: string, token: string): string =>
    `${PORTAL_PATH}/request/${sender.replace(/^:/, '').replace(/\./g, '_')}/${token}`;
  const respond = (msg: Message, path: string, code: number, results: Record<string, Variant>): void => {
    bus.send(Message.newMethodReturn(msg, 'o', [path]));
    // The real portal answers after the method returns; so does this one.
    setTimeout(() => {
      const signal = Message.newSignal(path, REQUEST, 'Response', 'ua{sv}', [code, results]);
      signal.destination = msg.sender;
      bus.send(signal);
    }, 5);
  };

  bus.addMethodHandler((msg: Message): boolean => {
    if (msg.interface === 'org.freedesktop.DBus.Properties' && msg.member === 'Get') {
      if (options.withoutGlobalShortcuts || msg.body[0] !== SHORTCUTS) {
        bus.send(Message.newError(msg, 'org.freedesktop.DBus.Error.UnknownInterface', 'No such interface'));
      } else {
        bus.send(Message.newMethodReturn(msg, 'v', [new Variant('u', 1)]));
      }
      return true;
    }
    if (msg.interface === 'org.freedesktop.portal.Session' && msg.member === 'Close') {
      closed.push(msg.path);
      bus.send(Message.newMethodReturn(msg));
      return true;
    }
    if (msg.interface !== SHORTCUTS || options.withoutGlobalShortcuts) return false;
    const sender = msg.sender;
    if (msg.member === 'CreateSession') {
      const opts = msg.body[0] as Record<string, Variant>;
      const session = `${PORTAL_PATH}/session/${sender.replace(/^:/, '').replace(/\./g, '_')}/${str(opts.session_handle_token)}`;
      bound.set(session, []);
      respond(msg, requestPath(sender, str(opts.handle_token)), 0, {
        session_handle: new Variant('o', session),
      });
      return true;
    }
    if (msg.member === 'BindShortcuts') {
      const [session, shortcuts, , opts] = msg.body as [
        string,
        Array<[string, Record<string, Variant>]>,
        string,
        Record<string, Variant>,
      ];
      const list = shortcuts.map(([id, o]) => ({
        id,
        description: str(o.description),
        preferredTrigger: str(o.preferred_trigger),
      }));
      const code = options.bindResponse ?? 0;
      if (code === 0) {
        bound.set(session, list);
        latest = session;
      }
      const results: Record<string, Variant> =
        code === 0
          ? {
              shortcuts: new Variant(
                'a(sa{sv})',
                list.map((s) => [
                  s.id,
                  {
                    description: new Variant('s', s.description),
                    trigger_description: new Variant('s', options.assignTrigger ?? s.preferredTrigger),
                  },
                ]),
              ),
            }
          : {};
      respond(msg, requestPath(sender, str(opts.handle_token)), code, results);
      if (code === 0) {
        const waiters = boundWaiters;
        boundWaiters = [];
        setTimeout(() => waiters.forEach((w) => w(session)), 10);
      }
      return true;
    }
    return false;
  });

  await new Promise<void>((resolve, reject) => {
    bus.once('connect', resolve);
    setTimeout(() => reject(new Error('fake portal: no connection to the bus')), 5000);
  });
  const reply = await bus.requestName(PORTAL_NAME, 4 /* DO_NOT_QUEUE */);
  if (reply !== 1) throw new Error(`fake portal: ${PORTAL_NAME} is taken on this bus (reply ${reply})`);

  const emit = (member: 'Activated' | 'Deactivated', id: string): void => {
    for (const [session, shortcuts] of bound) {
      if (!shortcuts.some((s) => s.id === id) || closed.includes(session)) continue;
      bus.send(
        Message.newSignal(PORTAL_PATH, SHORTCUTS, member, 'osta{sv}', [session, id, BigInt(Date.now()), {}]),
      );
    }
  };

  return {
    bound,
    closed,
    whenBound: () =>
      latest !== null && !closed.includes(latest)
        ? Promise.resolve(latest)
        : new Promise((resolve) => boundWaiters.push(resolve)),
    activate: (id = 'talk') => emit('Activated', id),
    deactivate: (id = 'talk') => emit('Deactivated', id),
    vanish: () => bus.disconnect(),
  };
}
