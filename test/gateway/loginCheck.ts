import type { IncomingHttpHeaders } from 'node:http';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import type { GatewayState } from './gatewayState';
import type { StatusCode } from './rpcStatus';

/** How far `iat` may be from the gateway's clock, in seconds. */
export const MAX_CLOCK_SKEW_S = 300;

const EXPECTED_CLAIMS = ['sub', 'iat', 'jti'];
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export type LoginCheck =
  | { ok: true; keyId: string; projectCode: string }
  | { ok: false; httpStatus: number; code: StatusCode; message: string };

function refuse(httpStatus: number, code: StatusCode, message: string): LoginCheck {
  return { ok: false, httpStatus, code, message };
}

function unauthenticated(message: string): LoginCheck {
  return refuse(401, 'UNAUTHENTICATED', message);
}

/** Parses the login body; returns the refusal instead when it is malformed. */
function readLoginBody(body: string): { token: string; project?: string } | LoginCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return refuse(400, 'INVALID_ARGUMENT', 'request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return refuse(400, 'INVALID_ARGUMENT', 'request body must be a JSON object');
  }
  const { token, default_project_code: project } = parsed as Record<string, unknown>;
  if (typeof token !== 'string' || token === '') {
    return refuse(400, 'INVALID_ARGUMENT', 'token is required');
  }
  if (project !== undefined && project !== null && typeof project !== 'string') {
    return refuse(400, 'INVALID_ARGUMENT', 'default_project_code must be a string');
  }
  return { token, project: project || undefined };
}

/** Checks the claim set is exactly sub/iat/jti with the shapes Noon documents. */
function checkClaims(claims: Record<string, unknown>, nowS: number): LoginCheck | undefined {
  const extra = Object.keys(claims).find((name) => !EXPECTED_CLAIMS.includes(name));
  if (extra !== undefined) {
    return unauthenticated(`unexpected claim ${extra}`);
  }
  const missing = EXPECTED_CLAIMS.find((name) => !(name in claims));
  if (missing !== undefined) {
    return unauthenticated(`missing claim ${missing}`);
  }
  const { iat, jti } = claims;
  if (typeof iat !== 'number' || !Number.isInteger(iat)) {
    return unauthenticated('iat must be whole seconds since the epoch');
  }
  const skew = iat - nowS;
  if (Math.abs(skew) > MAX_CLOCK_SKEW_S) {
    const direction = skew > 0 ? 'ahead of' : 'behind';
    return unauthenticated(
      `iat is ${Math.abs(skew)} s ${direction} the server clock; the allowed clock skew is ${MAX_CLOCK_SKEW_S} s`,
    );
  }
  if (typeof jti !== 'string' || !UUID_V4.test(jti)) {
    return unauthenticated('jti must be a UUID v4');
  }
  return undefined;
}

/**
 * Decides a login the way the Noon gateway is documented to: RS256 JWT signed by a registered key,
 * claims exactly sub/iat/jti, bounded clock skew, no replayed jti, and a project the key may use.
 * Records the jti as used once the signature and claims check out.
 */
export async function checkLogin(
  state: GatewayState,
  headers: IncomingHttpHeaders,
  body: string,
  nowS = Math.floor(Date.now() / 1000),
): Promise<LoginCheck> {
  if (!headers['user-agent']) {
    return refuse(400, 'INVALID_ARGUMENT', 'missing User-Agent header');
  }
  const request = readLoginBody(body);
  if ('ok' in request) {
    return request;
  }

  let alg: unknown;
  let sub: unknown;
  try {
    alg = decodeProtectedHeader(request.token).alg;
    sub = decodeJwt(request.token).sub;
  } catch {
    return unauthenticated('token is not a well-formed JWT');
  }
  if (alg !== 'RS256') {
    return unauthenticated(`unexpected alg ${String(alg)}; RS256 is required`);
  }
  if (typeof sub !== 'string') {
    return unauthenticated('missing claim sub');
  }
  const registered = state.account(sub);
  if (!registered) {
    return unauthenticated('key not found');
  }

  let payload: Uint8Array;
  try {
    payload = (await compactVerify(request.token, registered.publicKey, { algorithms: ['RS256'] })).payload;
  } catch {
    return unauthenticated('token signature is invalid');
  }
  // decodeJwt above already proved the payload is a JSON object.
  const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
  const claimProblem = checkClaims(claims, nowS);
  if (claimProblem) {
    return claimProblem;
  }
  if (!state.useJti(claims.jti as string)) {
    return unauthenticated('jti was already used (replayed token)');
  }

  const { account } = registered;
  if (account.deactivated) {
    return unauthenticated('key is deactivated');
  }
  const projectCode = request.project ?? account.projectCode;
  if (!state.allowedProjects(account).includes(projectCode)) {
    return refuse(403, 'PERMISSION_DENIED', 'project not allowed');
  }
  return { ok: true, keyId: account.keyId, projectCode };
}
