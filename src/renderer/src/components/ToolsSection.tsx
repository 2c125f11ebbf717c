/**
 * Settings › Tools: built-in tools on or off, and the user's local MCP servers — added by hand (stdio: command,
 * arguments, environment; HTTP: URL, headers) or from a pasted `mcpServers` block — each with its status, a
 * Restart button and a switch per tool. Changes apply at once (not through Save). Env values and headers go to
 * main and never come back: the window only ever learns their names.
 */
import { useEffect, useState, type KeyboardEvent, type ReactElement } from 'react';
import type { McpServerRow, RemoteMcpRow, ToolsView } from '../../../shared/types';
import { getBridge } from '../bridge';
import { InputField, TextAreaField } from './Field';

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Enter in a field of an add form adds (instead of submitting the Settings form around it, which saves). */
const enterRuns =
  (run: () => void) =>
  (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    run();
  };

/** "NAME=value" lines (env) or "Name: value" lines (headers) as a map; a line without the separator is an error. */
export function parsePairs(
  text: string,
  separator: '=' | ':',
): { ok: true; values: Record<string, string> } | { ok: false; line: string } {
  const values: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const at = line.indexOf(separator);
    if (at <= 0) return { ok: false, line };
    values[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { ok: true, values };
}

/** What a server's status means, in words. */
export function statusText(row: McpServerRow): string {
  if (!row.config.enabled) return 'Switched off';
  const status = row.status;
  switch (status.state) {
    case 'starting':
      return 'Starting…';
    case 'ready':
      return `Ready with ${status.tools} ${status.tools === 1 ? 'tool' : 'tools'}`;
    case 'failed':
      return `Failed: ${status.reason}${
        status.retryInMs === null ? '' : ` Trying again in ${Math.ceil(status.retryInMs / 1000)} s.`
      }`;
    case 'stopped':
      return 'Stopped';
  }
}

function ServerCard({ row, onView }: { row: McpServerRow; onView: (view: ToolsView) => void }): ReactElement {
  const { config, status } = row;
  const [error, setError] = useState('');
  const run = (action: () => Promise<ToolsView>): void => {
    setError('');
    action().then(onView, (e: unknown) => setError(errorText(e)));
  };
  const secretNames = config.transport === 'stdio' ? config.envNames : config.headerNames;
  return (
    <article className="mcp-server" aria-label={`MCP server ${config.name}`}>
      <header className="mcp-server-header">
        <h4 className="mcp-server-name">{config.name}</h4>
        <span className={`mcp-status mcp-status-${config.enabled ? status.state : 'off'}`} role="status">
          {statusText(row)}
        </span>
      </header>
      <p className="field-hint mcp-server-where">
        {config.transport === 'stdio'
          ? `Runs: ${[config.command, ...config.args].join(' ')}`
          : `Reached at: ${config.url}`}
      </p>
      {secretNames.length > 0 && (
        <p className="field-hint">
          {config.transport === 'stdio' ? 'Environment: ' : 'Headers: '}
          {secretNames.map((name) => `${name} (set)`).join(', ')}
        </p>
      )}
      {status.state === 'failed' && status.stderrTail.trim() !== '' && (
        <details className="mcp-stderr">
          <summary>What the server printed</summary>
          <pre>{status.stderrTail}</pre>
        </details>
      )}
      {row.tools.length > 0 && (
        <fieldset className="mcp-tools">
          <legend>Tools of {config.name}</legend>
          {row.tools.map((tool) => (
            <label key={tool.name} className="checkbox" title={tool.description}>
              <input
                type="checkbox"
                checked={tool.enabled}
                onChange={(e) =>
                  run(() =>
                    getBridge()['mcp.setTool']({
                      server: config.name,
                      tool: tool.name,
                      enabled: e.target.checked,
                    }),
                  )
                }
              />
              <span>{tool.name}</span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="mcp-server-actions">
        <button
          type="button"
          className="button"
          aria-label={`Restart ${config.name}`}
          onClick={() => run(() => getBridge()['mcp.restart']({ name: config.name }))}
        >
          Restart
        </button>
        <button
          type="button"
          className="button"
          aria-label={`Remove ${config.name}`}
          onClick={() => run(() => getBridge()['mcp.remove']({ name: config.name }))}
        >
          Remove
        </button>
      </div>
      {error && <p className="field-error">{error}</p>}
    </article>
  );
}

function AddServer({ onView }: { onView: (view: ToolsView) => void }): ReactElement {
  const [transport, setTransport] = useState<'stdio' | 'http'>('stdio');
  const [name, setName] = useState('');
  const [command, setCommand] = useState('');
  const [args, setArgs] = useState('');
  const [env, setEnv] = useState('');
  const [url, setUrl] = useState('');
  const [headers, setHeaders] = useState('');
  const [message, setMessage] = useState('');

  const add = async (): Promise<void> => {
    setMessage('');
    const pairs = transport === 'stdio' ? parsePairs(env, '=') : parsePairs(headers, ':');
    if (!pairs.ok) {
      setMessage(
        transport === 'stdio'
          ? 'Write one variable per line as NAME=value.'
          : 'Write one header per line as Name: value.',
      );
      return;
    }
    try {
      const answer = await getBridge()['mcp.add']({
        server:
          transport === 'stdio'
            ? {
                transport,
                name,
                command,
                args: args
                  .split('\n')
                  .map((a) => a.trim())
                  .filter(Boolean),
                env: pairs.values,
              }
            : { transport, name, url, headers: pairs.values },
      });
      if (!answer.ok) {
        setMessage(answer.reason);
        return;
      }
      onView(answer.view);
      setMessage(`Added ${name}.`);
      // Secrets leave the page as soon as they are sent.
      setEnv('');
      setHeaders('');
      setName('');
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  return (
    <details className="mcp-add">
      <summary>Add a server by hand</summary>
      <fieldset className="field">
        <legend className="field-label">How Talkie reaches it</legend>
        <label className="checkbox">
          <input
            type="radio"
            name="mcp-transport"
            checked={transport === 'stdio'}
            onChange={() => setTransport('stdio')}
          />
          <span>Start a program (stdio)</span>
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name="mcp-transport"
            checked={transport === 'http'}
            onChange={() => setTransport('http')}
          />
          <span>A running server (Streamable HTTP)</span>
        </label>
      </fieldset>
      <InputField
        id="mcp-name"
        label="Server name"
        description="Its tools are offered as <name>__<tool>."
        value={name}
        onChange={setName}
        onKeyDown={enterRuns(() => void add())}
      />
      {transport === 'stdio' ? (
        <>
          <InputField
            id="mcp-command"
            label="Command"
            description="e.g. npx"
            value={command}
            onChange={setCommand}
            onKeyDown={enterRuns(() => void add())}
          />
          <TextAreaField
            id="mcp-args"
            label="Arguments"
            description="One per line."
            rows={3}
            value={args}
            onChange={setArgs}
          />
          <TextAreaField
            id="mcp-env"
            label="Environment"
            description="One NAME=value per line. Kept encrypted like the API key; never shown again."
            rows={2}
            spellCheck={false}
            autoComplete="off"
            value={env}
            onChange={setEnv}
          />
        </>
      ) : (
        <>
          <InputField
            id="mcp-url"
            label="URL"
            description="e.g. http://127.0.0.1:3000/mcp"
            value={url}
            onChange={setUrl}
            onKeyDown={enterRuns(() => void add())}
          />
          <TextAreaField
            id="mcp-headers"
            label="Headers"
            description="One Name: value per line (e.g. Authorization: Bearer …). Kept encrypted; never shown again."
            rows={2}
            spellCheck={false}
            autoComplete="off"
            value={headers}
            onChange={setHeaders}
          />
        </>
      )}
      <button type="button" className="button" onClick={() => void add()}>
        Add server
      </button>
      {message && (
        <p className="field-hint" role="status">
          {message}
        </p>
      )}
    </details>
  );
}

function ImportBlock({ onView }: { onView: (view: ToolsView) => void }): ReactElement {
  const [json, setJson] = useState('');
  const [message, setMessage] = useState('');
  const [problems, setProblems] = useState<string[]>([]);

  const importBlock = async (): Promise<void> => {
    setMessage('');
    setProblems([]);
    try {
      const answer = await getBridge()['mcp.import']({ json });
      onView(answer.view);
      setProblems(answer.errors.map((e) => e.message));
      if (answer.added.length > 0) {
        setMessage(`Added ${answer.added.join(', ')}.`);
        setJson(''); // it may hold tokens
      } else setMessage('Nothing was added.');
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  return (
    <div className="mcp-import">
      <TextAreaField
        id="mcp-json"
        label="Paste an mcpServers block"
        description='As Claude Desktop writes it: {"mcpServers": {"name": {"command": …, "args": […], "env": {…}}}}'
        rows={4}
        spellCheck={false}
        autoComplete="off"
        value={json}
        onChange={setJson}
      />
      <button
        type="button"
        className="button"
        disabled={json.trim() === ''}
        onClick={() => void importBlock()}
      >
        Add from JSON
      </button>
      {(message || problems.length > 0) && (
        <div role="status" className="field-hint">
          {message && <p>{message}</p>}
          {problems.map((p) => (
            <p key={p} className="field-error">
              {p}
            </p>
          ))}
        </div>
      )}
    </div>
  );
}

function RemoteCard({ row, onView }: { row: RemoteMcpRow; onView: (view: ToolsView) => void }): ReactElement {
  const [error, setError] = useState('');
  const secrets = [
    ...(row.hasAuthorization ? ['Authorization token (set)'] : []),
    ...row.headerNames.map((name) => `${name} (set)`),
  ];
  return (
    <article className="mcp-server" aria-label={`Remote MCP server ${row.label}`}>
      <header className="mcp-server-header">
        <h4 className="mcp-server-name">{row.label}</h4>
        <span className="field-hint">
          {row.requireApproval === 'always' ? 'Asks before each call' : 'Calls without asking'}
        </span>
      </header>
      <p className="field-hint mcp-server-where">Called by the Realtime server at: {row.url}</p>
      <p className="field-hint">
        {row.allowedTools.length > 0 ? `Only: ${row.allowedTools.join(', ')}` : 'All of its tools'}
        {secrets.length > 0 ? ` · ${secrets.join(', ')}` : ''}
      </p>
      <div className="mcp-server-actions">
        <button
          type="button"
          className="button"
          aria-label={`Remove ${row.label}`}
          onClick={() => {
            setError('');
            const bridge = getBridge();
            bridge['mcp.removeRemote']({ label: row.label }).then(onView, (e: unknown) =>
              setError(errorText(e)),
            );
          }}
        >
          Remove
        </button>
      </div>
      {error && <p className="field-error">{error}</p>}
    </article>
  );
}

function AddRemote({ onView }: { onView: (view: ToolsView) => void }): ReactElement {
  const [label, setLabel] = useState('');
  const [url, setUrl] = useState('');
  const [authorization, setAuthorization] = useState('');
  const [headers, setHeaders] = useState('');
  const [allowed, setAllowed] = useState('');
  const [ask, setAsk] = useState(true);
  const [message, setMessage] = useState('');

  const add = async (): Promise<void> => {
    setMessage('');
    const pairs = parsePairs(headers, ':');
    if (!pairs.ok) {
      setMessage('Write one header per line as Name: value.');
      return;
    }
    try {
      const view = await getBridge()['mcp.addRemote']({
        label,
        url,
        headers: pairs.values,
        authorization,
        allowedTools: allowed
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        requireApproval: ask ? 'always' : 'never',
      });
      onView(view);
      setMessage(`Added ${label}.`);
      setAuthorization('');
      setHeaders('');
      setLabel('');
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  return (
    <details className="mcp-add">
      <summary>Add a remote server (called by the Realtime server)</summary>
      <InputField
        id="remote-label"
        label="Label"
        description="Letters, digits, _ and -; the model sees this name."
        value={label}
        onChange={setLabel}
        onKeyDown={enterRuns(() => void add())}
      />
      <InputField
        id="remote-url"
        label="Server URL"
        description="The Realtime server reaches it, not this computer."
        value={url}
        onChange={setUrl}
        onKeyDown={enterRuns(() => void add())}
      />
      <InputField
        id="remote-authorization"
        label="Authorization token"
        description="Optional. Kept encrypted; never shown again."
        type="password"
        autoComplete="off"
        value={authorization}
        onChange={setAuthorization}
        onKeyDown={enterRuns(() => void add())}
      />
      <TextAreaField
        id="remote-headers"
        label="Remote headers"
        description="Optional. One Name: value per line."
        rows={2}
        spellCheck={false}
        autoComplete="off"
        value={headers}
        onChange={setHeaders}
      />
      <InputField
        id="remote-allowed"
        label="Allowed tools"
        description="Optional. Names separated by commas; empty: all."
        value={allowed}
        onChange={setAllowed}
        onKeyDown={enterRuns(() => void add())}
      />
      <label className="checkbox">
        <input type="checkbox" checked={ask} onChange={(e) => setAsk(e.target.checked)} />
        <span>Ask me before each call</span>
      </label>
      <button type="button" className="button" onClick={() => void add()}>
        Add remote server
      </button>
      {message && (
        <p className="field-hint" role="status">
          {message}
        </p>
      )}
    </details>
  );
}

/** The Tools section of Settings. */
export function ToolsSection(): ReactElement {
  const [view, setView] = useState<ToolsView | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const bridge = getBridge();
    let live = true;
    const off = bridge.on('tools', (next) => live && setView(next));
    bridge['tools.get']({}).then(
      (next) => live && setView(next),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
      off();
    };
  }, []);

  const setBuiltin = (name: string, enabled: boolean): void => {
    const bridge = getBridge();
    bridge['tools.setBuiltin']({ name, enabled }).then(setView, (e: unknown) => setError(errorText(e)));
  };

  return (
    <section className="settings-section" aria-labelledby="settings-tools">
      <h3 id="settings-tools">Tools</h3>
      <p className="field-hint">Changes to tools apply at once.</p>
      {error && <p className="field-error">{error}</p>}
      {view && (
        <>
          <fieldset className="field builtin-tools">
            <legend className="field-label">Built-in tools</legend>
            {view.builtins.map((tool) => (
              <label key={tool.name} className="checkbox" title={tool.description}>
                <input
                  type="checkbox"
                  checked={tool.enabled && !tool.unavailable}
                  disabled={tool.unavailable !== undefined}
                  onChange={(e) => setBuiltin(tool.name, e.target.checked)}
                />
                <span>
                  {tool.name}
                  {tool.approval === 'ask' ? ' (asks first)' : ''}
                  {tool.unavailable ? ` — ${tool.unavailable}` : ''}
                </span>
              </label>
            ))}
          </fieldset>
          <div className="field">
            <h4 className="field-label">MCP servers</h4>
            {view.servers.length === 0 ? (
              <p className="field-hint">No MCP servers yet.</p>
            ) : (
              view.servers.map((row) => <ServerCard key={row.config.name} row={row} onView={setView} />)
            )}
            {view.secretStorage === 'session' && (
              <p className="field-hint">
                No system keyring here: environment values and headers are kept until Talkie quits.
              </p>
            )}
          </div>
          <ImportBlock onView={setView} />
          <AddServer onView={setView} />
          <div className="field">
            <h4 className="field-label">Remote MCP servers</h4>
            {view.remote.length === 0 ? (
              <p className="field-hint">No remote servers. The Realtime server calls these itself.</p>
            ) : (
              view.remote.map((row) => <RemoteCard key={row.label} row={row} onView={setView} />)
            )}
          </div>
          <AddRemote onView={setView} />
        </>
      )}
    </section>
  );
}
