/**
 * The desktop portal's GlobalShortcuts (xdg-desktop-portal, Wayland) over D-Bus, in plain Node:
 * CreateSession, then BindShortcuts at start (no user action; the desktop may ask once), then
 * Activated → key down and Deactivated → key up. The portal answers each call through a Request
 * object's Response signal; its path is known in advance (the caller's unique name and a token), so
 * the signal is subscribed before the call and cannot be missed. The D-Bus library is loaded lazily.
 */
import { EventEmitter } from 'node:events';
import type * as Dbus from '@jellybrick/dbus-next';
import type { Message, MessageBus } from '@jellybrick/dbus-next';
import type { PortalFailure } from '../../core/hotkey/portal-keys';
import type { PortalBindResult, PortalEvent, PortalKeySource } from '../../core/hotkey/service';
import { portalTrigger } from '../../core/hotkey/portal-trigger';

export const PORTAL_NAME = 'org.freedesktop.portal.Desktop';
export const PORTAL_PATH = '/org/freedesktop/portal/desktop';
export const SHORTCUTS_IFACE = 'org.freedesktop.portal.GlobalShortcuts';
const REQUEST_IFACE = 'org.freedesktop.portal.Request';
const SESSION_IFACE = 'org.freedesktop.portal.Session';
const DBUS = {
  destination: 'org.freedesktop.DBus',
  path: '/org/freedesktop/DBus',
  iface: 'org.freedesktop.DBus',
};
/** The id of our one shortcut in the portal session. */
export const SHORTCUT_ID = 'talk';

type DbusModule = typeof Dbus;

/** Test seams and timeouts. */
export interface PortalSourceOptions {
  env?: NodeJS.ProcessEnv;
  /** Connecting and each portal call without a dialog. */
  callTimeoutMs?: number;
  /** BindShortcuts may show the desktop's dialog and wait for the user. */
  bindTimeoutMs?: number;
  load?: () => Promise<DbusModule>;
}

/** The Request object the portal answers on: /org/freedesktop/portal/desktop/request/SENDER/TOKEN. */
export function requestPath(uniqueName: string, token: string): string {
  return `${PORTAL_PATH}/request/${uniqueName.replace(/^:/, '').replace(/\./g, '_')}/${token}`;
}

/** The session bus address from the environment, or why there is none. */
export function sessionBusAddress(
  env: NodeJS.ProcessEnv,
): { ok: true; address: string } | { ok: false; detail: string } {
  if (env.DBUS_SESSION_BUS_ADDRESS) return { ok: true, address: env.DBUS_SESSION_BUS_ADDRESS };
  if (env.XDG_RUNTIME_DIR) return { ok: true, address: `unix:path=${env.XDG_RUNTIME_DIR}/bus` };
  return { ok: false, detail: 'DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR are not set' };
}

class Failed extends Error {
  constructor(readonly failure: PortalFailure) {
    super(failure.kind);
  }
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

/** The value inside a D-Bus variant as dbus-next hands it over ({ signature, value }). */
const unwrap = (v: unknown): unknown =>
  v !== null && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v;

let tokens = 0;

/** The portal key source for the hotkey service. */
export function createPortalSource(options: PortalSourceOptions = {}): PortalKeySource {
  const env = options.env ?? process.env;
  const callMs = options.callTimeoutMs ?? 5000;
  const bindMs = options.bindTimeoutMs ?? 60_000;
  const load = options.load ?? (() => import('@jellybrick/dbus-next'));

  return {
    watch(onAppeared): () => void {
      let stopped = false;
      let bus: MessageBus | null = null;
      const address = sessionBusAddress(env);
      if (!address.ok) return () => undefined;
      void (async (): Promise<void> => {
        try {
          const dbus = await load();
          if (stopped) return;
          bus = dbus.sessionBus({ busAddress: address.address });
          // A watcher that fails only means no automatic re-bind; it must never crash the app.
          (bus as unknown as EventEmitter).on('error', () => undefined);
          bus.on('message', (msg: Message) => {
            if (
              msg.interface === DBUS.iface &&
              msg.member === 'NameOwnerChanged' &&
              msg.body[0] === PORTAL_NAME &&
              msg.body[2]
            )
              onAppeared();
          });
          await withTimeout(
            bus.call(
              new dbus.Message({
                destination: DBUS.destination,
                path: DBUS.path,
                interface: DBUS.iface,
                member: 'AddMatch',
                signature: 's',
                body: [
                  `type='signal',sender='${DBUS.destination}',interface='${DBUS.iface}',member='NameOwnerChanged',arg0='${PORTAL_NAME}'`,
                ],
              }),
            ),
            callMs,
            'watching for the desktop portal',
          );
          if (stopped) bus.disconnect();
        } catch {
          // No bus or no D-Bus library: the key is bound again at the next settings change or start.
        }
      })();
      return () => {
        stopped = true;
        try {
          bus?.disconnect();
        } catch {
          // Already gone.
        }
      };
    },

    async start(shortcut, listener): Promise<PortalBindResult> {
      const address = sessionBusAddress(env);
      if (!address.ok) return { ok: false, failure: { kind: 'no-bus', detail: address.detail } };
      let dbus: DbusModule;
      try {
        dbus = await load();
      } catch (error) {
        return {
          ok: false,
          failure: { kind: 'failed', detail: `D-Bus library: ${(error as Error).message}` },
        };
      }
      const { Message: Msg, Variant } = dbus;
      const bus: MessageBus = dbus.sessionBus({ busAddress: address.address });
      // An unhandled 'error' on the bus would crash the app: each is forwarded as a plain 'failure'
      // (an emitter's 'error' with nobody listening would throw), which fails or ends this bind.
      const errors = new EventEmitter();
      // MessageBus's typed events leave out the 'error' it does emit.
      (bus as unknown as EventEmitter).on('error', (error: unknown) => errors.emit('failure', error));
      let closed = false;
      const close = (): void => {
        if (closed) return;
        closed = true;
        bus.removeAllListeners('message');
        try {
          bus.disconnect();
        } catch {
          // A connection that never opened has nothing to close.
        }
      };

      const call = async (msg: Message, ms = callMs): Promise<Message | null> =>
        withTimeout(bus.call(msg), ms, `${msg.interface ?? ''}.${msg.member ?? ''}`);
      const dbusCall = (member: string, signature: string, body: unknown[]): Promise<Message | null> =>
        call(
          new Msg({
            destination: DBUS.destination,
            path: DBUS.path,
            interface: DBUS.iface,
            member,
            signature,
            body,
          }),
        );
      const errorName = (error: unknown): string =>
        typeof (error as { type?: unknown }).type === 'string' ? (error as { type: string }).type : '';

      try {
        await withTimeout(
          new Promise<void>((resolve, reject) => {
            bus.once('connect', () => resolve());
            errors.once('failure', reject);
          }),
          callMs,
          'connecting to the session bus',
        ).catch((error: unknown) => {
          throw new Failed({ kind: 'no-bus', detail: (error as Error).message });
        });

        // Reading the interface's version starts an activatable portal and tells whether its backend
        // has GlobalShortcuts at all.
        await call(
          new Msg({
            destination: PORTAL_NAME,
            path: PORTAL_PATH,
            interface: 'org.freedesktop.DBus.Properties',
            member: 'Get',
            signature: 'ss',
            body: [SHORTCUTS_IFACE, 'version'],
          }),
        ).catch((error: unknown) => {
          const name = errorName(error);
          if (
            name === 'org.freedesktop.DBus.Error.ServiceUnknown' ||
            name === 'org.freedesktop.DBus.Error.NameHasNoOwner'
          )
            throw new Failed({ kind: 'no-portal' });
          if (/UnknownInterface|UnknownProperty|InvalidArgs|UnknownMethod/.test(name))
            throw new Failed({ kind: 'no-interface' });
          throw new Failed({ kind: 'failed', detail: (error as Error).message });
        });
        const ownerReply = await dbusCall('GetNameOwner', 's', [PORTAL_NAME]);
        const owner = String(ownerReply?.body[0] ?? '');
        const me = bus.name ?? '';

        for (const rule of [
          `type='signal',sender='${DBUS.destination}',interface='${DBUS.iface}',member='NameOwnerChanged',arg0='${PORTAL_NAME}'`,
          `type='signal',sender='${PORTAL_NAME}',interface='${REQUEST_IFACE}',member='Response'`,
          `type='signal',sender='${PORTAL_NAME}',interface='${SHORTCUTS_IFACE}',path='${PORTAL_PATH}'`,
        ])
          await dbusCall('AddMatch', 's', [rule]);

        /** Calls a portal method that answers through a Request, and waits for its Response. */
        const request = async (
          member: string,
          signature: string,
          body: (token: string) => unknown[],
          ms: number,
        ): Promise<Record<string, unknown>> => {
          const token = `talkie_${process.pid}_${++tokens}`;
          const path = requestPath(me, token);
          const response = new Promise<Message>((resolve) => {
            const onMessage = (msg: Message): void => {
              if (msg.path === path && msg.interface === REQUEST_IFACE && msg.member === 'Response') {
                bus.off('message', onMessage);
                resolve(msg);
              }
            };
            bus.on('message', onMessage);
          });
          await call(
            new Msg({
              destination: PORTAL_NAME,
              path: PORTAL_PATH,
              interface: SHORTCUTS_IFACE,
              member,
              signature,
              body: body(token),
            }),
          );
          const answer = await withTimeout(response, ms, member);
          const [code, results] = answer.body as [number, Record<string, unknown>];
          if (code === 1) throw new Failed({ kind: 'declined' });
          if (code !== 0) throw new Failed({ kind: 'failed', detail: `${member} answered ${code}` });
          return results ?? {};
        };

        const created = await request(
          'CreateSession',
          'a{sv}',
          (token) => [
            { handle_token: new Variant('s', token), session_handle_token: new Variant('s', token) },
          ],
          callMs,
        );
        const session = String(unwrap(created.session_handle) ?? '');
        if (!session) throw new Failed({ kind: 'failed', detail: 'CreateSession returned no session' });

        const bound = await request(
          'BindShortcuts',
          'oa(sa{sv})sa{sv}',
          (token) => [
            session,
            [
              [
                SHORTCUT_ID,
                {
                  description: new Variant('s', shortcut.description),
                  preferred_trigger: new Variant('s', portalTrigger(shortcut.chord)),
                },
              ],
            ],
            '',
            { handle_token: new Variant('s', token) },
          ],
          bindMs,
        );
        const list = (unwrap(bound.shortcuts) ?? []) as Array<[string, Record<string, unknown>]>;
        const ours = list.find(([id]) => id === SHORTCUT_ID);
        if (list.length > 0 && !ours)
          throw new Failed({ kind: 'failed', detail: 'the desktop bound other shortcuts than ours' });
        const trigger = ours ? String(unwrap(ours[1]?.trigger_description) ?? '') || null : null;

        let ended = false;
        const end = (reason: string): void => {
          if (ended) return;
          ended = true;
          close();
          listener({ type: 'lost', reason });
        };
        bus.on('message', (msg: Message) => {
          if (
            msg.interface === DBUS.iface &&
            msg.member === 'NameOwnerChanged' &&
            msg.body[0] === PORTAL_NAME
          ) {
            // Gone, or replaced by a new portal process that knows nothing of our session.
            if (msg.body[2] !== owner) end('The desktop portal stopped');
            return;
          }
          if (msg.sender !== owner || msg.interface !== SHORTCUTS_IFACE) return;
          if (msg.body[0] !== session || msg.body[1] !== SHORTCUT_ID) return;
          const event: PortalEvent | null =
            msg.member === 'Activated'
              ? { type: 'activated' }
              : msg.member === 'Deactivated'
                ? { type: 'deactivated' }
                : null;
          if (event) listener(event);
        });
        errors.on('failure', (error: unknown) =>
          end(`The D-Bus session bus failed (${(error as Error).message})`),
        );
        // MessageBus does not report its socket closing; the connection underneath does.
        const connection = (bus as unknown as { _connection?: EventEmitter })._connection;
        connection?.on('end', () => end('The D-Bus session bus closed'));

        return {
          ok: true,
          trigger,
          stop(): void {
            if (ended) return;
            ended = true;
            try {
              bus.send(
                new Msg({
                  destination: PORTAL_NAME,
                  path: session,
                  interface: SESSION_IFACE,
                  member: 'Close',
                }),
              );
            } catch {
              // The bus is already gone: the portal drops the session with our connection.
            }
            close();
          },
        };
      } catch (error) {
        close();
        if (error instanceof Failed) return { ok: false, failure: error.failure };
        return { ok: false, failure: { kind: 'failed', detail: (error as Error).message } };
      }
    },
  };
}
