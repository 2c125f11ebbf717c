/**
 * A private D-Bus session bus for a test: `dbus-daemon --print-address` with a session-type config of
 * our own, so nothing from the machine (no activatable services, no real portal) is on it. Stopped
 * by pid. Needs the Debian package dbus-daemon (scripts/install-test-deps.sh installs it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SessionBus {
  /** DBUS_SESSION_BUS_ADDRESS for clients of this bus. */
  address: string;
  pid: number;
  stop(): Promise<void>;
}

/** Why a private bus cannot be started here, or null. */
export function sessionBusUnavailable(): string | null {
  return spawnSync('sh', ['-c', 'command -v dbus-daemon']).status === 0
    ? null
    : 'needs dbus-daemon (Debian package dbus-daemon; scripts/install-test-deps.sh installs it)';
}

const CONFIG = (
  dir: string,
): string => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

/** Starts a bus; resolves with its address once it listens. */
export async function startSessionBus(): Promise<SessionBus> {
  const dir = mkdtempSync(join(tmpdir(), 'talkie-dbus-'));
  const config = join(dir, 'session.conf');
  writeFileSync(config, CONFIG(dir));
  const child: ChildProcess = spawn(
    'dbus-daemon',
    [`--config-file=${config}`, '--nofork', '--print-address=1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dbus-daemon printed no address in 5 s: ${out}`));
    }, 5000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dbus-daemon exited with ${code}: ${out}`));
    });
  });
  return {
    address,
    pid: child.pid ?? -1,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
