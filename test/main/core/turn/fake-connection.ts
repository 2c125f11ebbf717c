/** An in-memory RealtimeConnection for unit tests: records what is sent, lets the test play the server. */
import type {
  ConnectionStatus,
  RealtimeClientEvent,
  RealtimeConnection,
  RealtimeServerEvent,
  UnknownServerEvent,
} from '../../../../src/main/core/realtime/connection-types';

export class FakeConnection implements RealtimeConnection {
  status: ConnectionStatus = { state: 'closed' };
  readonly sent: RealtimeClientEvent[] = [];
  connects = 0;
  closed = false;
  private readonly events = new Set<(e: RealtimeServerEvent) => void>();
  private readonly unknowns = new Set<(e: UnknownServerEvent) => void>();
  private readonly malformeds = new Set<(raw: string, problem: string) => void>();
  private readonly statuses = new Set<(s: ConnectionStatus) => void>();

  connect(): void {
    this.connects += 1;
    this.setStatus({ state: 'connecting' });
  }
  close(): void {
    this.closed = true;
    this.setStatus({ state: 'closed' });
  }
  send(event: RealtimeClientEvent): boolean {
    if (this.status.state !== 'connected') return false;
    this.sent.push(event);
    return true;
  }
  onEvent(l: (e: RealtimeServerEvent) => void): () => void {
    this.events.add(l);
    return () => this.events.delete(l);
  }
  onUnknown(l: (e: UnknownServerEvent) => void): () => void {
    this.unknowns.add(l);
    return () => this.unknowns.delete(l);
  }
  onMalformed(l: (raw: string, problem: string) => void): () => void {
    this.malformeds.add(l);
    return () => this.malformeds.delete(l);
  }
  onStatus(l: (s: ConnectionStatus) => void): () => void {
    this.statuses.add(l);
    return () => this.statuses.delete(l);
  }

  // ---- test controls ----
  setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const l of [...this.statuses]) l(status);
  }
  serverSends(event: Record<string, unknown>): void {
    for (const l of [...this.events]) l(event as unknown as RealtimeServerEvent);
  }
  serverSendsUnknown(event: UnknownServerEvent): void {
    for (const l of [...this.unknowns]) l(event);
  }
  serverSendsMalformed(raw: string, problem: string): void {
    for (const l of [...this.malformeds]) l(raw, problem);
  }
  types(): string[] {
    return this.sent.map((e) => e.type);
  }
}
