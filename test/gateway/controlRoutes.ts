import type { ServerResponse } from 'node:http';
import type { ScriptedAnswer, TestAccount } from './gateway';
import type { GatewayState } from './gatewayState';
import { sendJsonText } from './rpcStatus';

export const CONTROL_PREFIX = '/__gateway/';

function parseObject(body: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(body === '' ? '{}' : body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** JSON has no Infinity, so the wire form of `times` may be the string "Infinity". */
function scriptFromJson(value: Record<string, unknown>): ScriptedAnswer {
  const times = value.times === 'Infinity' ? Infinity : value.times;
  return { ...value, times } as ScriptedAnswer;
}

/** Runs one control command; returns the JSON answer or throws with a message for the test author. */
function runCommand(state: GatewayState, command: string, body: string): unknown {
  switch (command) {
    case 'POST script':
      state.addScript(scriptFromJson(parseObject(body)));
      return { ok: true };
    case 'POST expire':
      state.expireSessions();
      return { ok: true };
    case 'POST latency': {
      const { ms } = parseObject(body);
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw new Error('ms must be a non-negative number');
      }
      state.latencyMs = ms;
      return { ok: true };
    }
    case 'POST reset':
      state.reset();
      return { ok: true };
    case 'GET stats':
      return state.stats();
    case 'POST register':
      state.register(parseObject(body) as unknown as TestAccount);
      return { ok: true };
    default:
      return undefined;
  }
}

/**
 * Serves the test-control API (`/__gateway/*`) so tests running in another process, such as the
 * extension host, can steer the gateway. It needs no session and is never recorded or scripted.
 */
export function serveControl(state: GatewayState, method: string, pathname: string, body: string, res: ServerResponse) {
  const command = `${method} ${pathname.slice(CONTROL_PREFIX.length)}`;
  try {
    const answer = runCommand(state, command, body);
    if (answer === undefined) {
      sendJsonText(res, 404, JSON.stringify({ error: `unknown control command ${command}` }));
    } else {
      sendJsonText(res, 200, JSON.stringify(answer));
    }
  } catch (err) {
    sendJsonText(res, 400, JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
  }
}
