/**
 * The functions the assistant called during a turn: one collapsible row per call (tool, arguments, result or
 * error, duration), and for a call waiting for the user an approval card — Allow once, Always allow, Deny.
 * Arguments and results are the server's and the tool's text: shown as text, never as markup.
 */
import { useState, type ReactElement } from 'react';
import type { ToolCallView } from '../../../shared/types';
import { getBridge } from '../bridge';
import { errorMessage } from '../../../shared/error-message';

const STATUS: Record<ToolCallView['status'], string> = {
  approval: 'Waiting for your approval',
  running: 'Running…',
  done: 'Done',
  failed: 'Failed',
  declined: 'Declined',
  cancelled: 'Stopped',
};

/** Arguments as readable JSON when they are JSON, else as sent. */
function readable(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

/** An MCP tool's `<server>__<tool>` name as "tool (server)"; a built-in's as is. */
function toolLabel(name: string): string {
  const at = name.indexOf('__');
  return at > 0 ? `${name.slice(at + 2)} (${name.slice(0, at)})` : name;
}

function Approval({ call }: { call: ToolCallView }): ReactElement {
  const [problem, setProblem] = useState<string | null>(null);
  const decide = (decision: 'once' | 'always' | 'deny'): void => {
    setProblem(null);
    const bridge = getBridge();
    void bridge['tool.decide']({ callId: call.callId, decision })
      .then((answer) => {
        if (!answer.ok) setProblem(answer.reason);
      })
      .catch((error: unknown) => setProblem(errorMessage(error)));
  };
  return (
    <div role="group" aria-label="Tool approval" className="tool-approval">
      <p>
        The assistant wants to run <strong>{toolLabel(call.name)}</strong> with:
      </p>
      <pre className="tool-args">{readable(call.arguments)}</pre>
      <div className="tool-approval-buttons">
        <button type="button" className="button button-primary" onClick={() => decide('once')}>
          Allow once
        </button>
        <button type="button" className="button" onClick={() => decide('always')}>
          Always allow
        </button>
        <button type="button" className="button" onClick={() => decide('deny')}>
          Deny
        </button>
      </div>
      {problem && <p role="alert">{problem}</p>}
    </div>
  );
}

/** The calls of one turn. */
export function ToolCalls({ calls }: { calls: readonly ToolCallView[] }): ReactElement {
  return (
    <ul className="tool-calls" aria-label="Tool calls">
      {calls.map((call) => (
        <li key={call.callId} className={`tool-call tool-call-${call.status}`}>
          {call.status === 'approval' ? (
            <Approval call={call} />
          ) : (
            <details>
              <summary>
                <span className="tool-name">{toolLabel(call.name)}</span> — {STATUS[call.status]}
                {call.durationMs !== undefined && ` in ${(call.durationMs / 1000).toFixed(1)} s`}
              </summary>
              <p className="tool-heading">Arguments</p>
              <pre className="tool-args">{readable(call.arguments)}</pre>
              {call.result !== undefined && (
                <>
                  <p className="tool-heading">
                    {call.status === 'done' ? 'Result' : 'What the assistant was told'}
                  </p>
                  <pre className="tool-args">{call.result}</pre>
                </>
              )}
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}
