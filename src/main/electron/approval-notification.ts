/**
 * A system notification when a tool call waits for the user's approval and the window is not in view (hidden
 * to the tray, minimised): the approval card alone would go unseen and the turn would wait forever. Clicking it
 * brings the window back, where the card is. Electron's Notification is passed in, so this is tested in plain Node.
 */
import type { ApprovalRequest } from '../app';

/** The part of Electron's Notification class used here. */
export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}

/** What the notifier needs from Electron. */
export interface ApprovalNotifierPorts {
  /** Electron's `Notification.isSupported()`. */
  isSupported(): boolean;
  create(options: { title: string; body: string; silent?: boolean }): NotificationLike;
  /** Whether the user can see the window now (shown and not minimised). */
  windowInView(): boolean;
  /** Brings the window back (the card is there). */
  showWindow(): void;
}

/** Arguments longer than this are cut in the notification (the card shows them all). */
const MAX_ARGS = 160;

/** The notification's words: tool, server and arguments, readably. */
export function approvalText(request: ApprovalRequest): { title: string; body: string } {
  const where = request.server ? ` (${request.server})` : '';
  let args = request.arguments.trim();
  try {
    const parsed: unknown = JSON.parse(args);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const entries = Object.entries(parsed as Record<string, unknown>);
      args = entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
    }
  } catch {
    // Not JSON: shown as the model sent it.
  }
  if (args.length > MAX_ARGS) args = `${args.slice(0, MAX_ARGS - 1)}…`;
  return {
    title: `Tool approval: ${request.tool}${where}`,
    body: `Talkie wants to run ${request.tool}${where}${args ? ` with ${args}` : ''}. Open Talkie to allow or deny.`,
  };
}

/** Returns the hook the app calls when a call waits for approval. */
export function createApprovalNotifier(ports: ApprovalNotifierPorts): (request: ApprovalRequest) => void {
  return (request) => {
    if (ports.windowInView() || !ports.isSupported()) return;
    const notification = ports.create({ ...approvalText(request), silent: false });
    notification.on('click', () => ports.showWindow());
    notification.show();
  };
}
