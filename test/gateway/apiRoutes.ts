import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { LosslessNumber, stringify } from 'lossless-json';
import type { TestAccount } from './gateway';
import { rpcStatus, sendBody, sendJsonText, sendRpcStatus } from './rpcStatus';

/** What a catalog handler gets: the request plus who is calling and for which project. */
export interface ApiCall {
  method: string;
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  account: TestAccount;
  /** `X-Project` when sent (already checked against the account), else the session's project. */
  projectCode: string;
  res: ServerResponse;
}

interface Route {
  method: string;
  pattern: RegExp;
  handle(call: ApiCall, params: string[]): void;
}

const COUNTRIES: Record<string, string> = { ae: 'AED', sa: 'SAR', eg: 'EGP' };
/** 2^53 + 1: the first integer a double cannot hold, so a client that parses into doubles shows it wrong. */
const FIRST_UNSAFE = 9007199254740993n;

/** Writes a number exactly as spelled, e.g. `10.10` or a 19-digit order number. */
const literal = (text: string): LosslessNumber => new LosslessNumber(text);

/** Decodes a path segment; a malformed escape is kept as typed rather than failing the request. */
function segment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function sendLossless(res: ServerResponse, value: unknown): void {
  sendJsonText(res, 200, stringify(value) ?? 'null');
}

/** A stable small number per text, so the same SKU always gets the same price. */
function seed(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** Prices always end in 0 (like 23.50) so a client that re-formats numbers visibly drops digits. */
function priceFor(text: string, base = 10): string {
  const n = seed(text);
  return `${base + (n % 90)}.${(n >>> 8) % 9}0`;
}

/** Parses a JSON object body; answers 400 and returns undefined when it is not one. */
function objectBody(call: ApiCall): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(call.body === '' ? '{}' : call.body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Answered below like any other malformed body.
  }
  sendRpcStatus(call.res, 400, 'INVALID_ARGUMENT', 'request body must be a JSON object');
  return undefined;
}

function whoami(call: ApiCall): void {
  sendJsonText(call.res, 200, JSON.stringify({ user_code: call.account.userCode, username: call.account.username }));
}

function productOffers(call: ApiCall, [rawSku]: string[]): void {
  const sku = segment(rawSku);
  if (sku.startsWith('missing')) {
    sendRpcStatus(call.res, 404, 'NOT_FOUND', `product ${sku} not found`);
    return;
  }
  sendLossless(call.res, {
    partner_sku: sku,
    sku: `Z${seed(sku).toString(16).toUpperCase().padStart(8, '0')}N`,
    title: `Test product ${sku}`,
    brand: 'Noon Test Brand',
    project_code: call.projectCode,
    offers: Object.entries(COUNTRIES).map(([country, currency], i) => ({
      offer_code: `${country.toUpperCase()}-${sku}`,
      country_code: country,
      business_model: i === 0 ? 'fbn' : 'fbpi',
      price: { amount: literal(priceFor(sku + country)), currency },
      is_active: i !== 2,
      active_net_stock: seed(sku + country) % 500,
      live_status: i !== 2 ? 'live' : 'not_live',
      offer_issues: i !== 2 ? [] : [{ code: 'missing_stock', message: 'No stock in any warehouse' }],
    })),
  });
}

function pricingGet(call: ApiCall): void {
  const body = objectBody(call);
  if (!body) {
    return;
  }
  const items = body.items;
  if (!Array.isArray(items) || items.length === 0) {
    sendRpcStatus(call.res, 400, 'INVALID_ARGUMENT', 'items is required');
    return;
  }
  const answered = items.map((item: unknown) => {
    const { partner_sku: sku, country_code: country } = (item ?? {}) as Record<string, unknown>;
    if (typeof sku !== 'string' || typeof country !== 'string' || !(country in COUNTRIES)) {
      const status = rpcStatus('INVALID_ARGUMENT', 'partner_sku and a country_code of ae, sa or eg are required');
      return { partner_sku: sku ?? null, country_code: country ?? null, status };
    }
    const price = priceFor(sku + country);
    return {
      partner_sku: sku,
      country_code: country,
      status: rpcStatus('OK', ''),
      price: literal(price),
      msrp: literal(`${Number.parseInt(price, 10) + 20}.${price.split('.')[1]}`),
      is_active: true,
    };
  });
  sendLossless(call.res, { project_code: call.projectCode, items: answered });
}

function categoriesList(call: ApiCall): void {
  if (!objectBody(call)) {
    return;
  }
  const categories = [
    'electronics-mobiles',
    'electronics-laptops',
    'home-kitchen',
    'fashion-women',
    'beauty-fragrance',
  ];
  sendJsonText(call.res, 200, JSON.stringify({ project_code: call.projectCode, categories }));
}

/** Two pages of orders; numbers above 2^53 are written literally, as the real service does for order ids. */
function fbpiOrdersList(call: ApiCall): void {
  const body = objectBody(call);
  if (!body) {
    return;
  }
  const warehouse = body.warehouse_code;
  if (typeof warehouse !== 'string' || warehouse === '') {
    sendRpcStatus(call.res, 400, 'INVALID_ARGUMENT', 'warehouse_code is required');
    return;
  }
  const token = call.query.get('next_token') ?? '';
  if (token !== '' && token !== 'page-2') {
    sendRpcStatus(call.res, 400, 'INVALID_ARGUMENT', 'next_token is not valid');
    return;
  }
  const page = token === '' ? 0 : 1;
  const orders = [0, 1, 2].map((i) => {
    const n = BigInt(page * 3 + i);
    // Odd offsets keep every id odd, and no odd integer above 2^53 fits in a double.
    const orderNr = FIRST_UNSAFE + 2n * n;
    return {
      fbpi_order_nr: literal(orderNr.toString()),
      mp_code: 'noon',
      mp_order_nr: `NAE${(40000000n + n).toString()}`,
      mp_country_code: 'ae',
      currency_code: 'AED',
      warehouse_code: warehouse,
      project_code: call.projectCode,
      order_created_at: `2026-03-0${page * 3 + i + 1}T10:15:00Z`,
      items: [
        {
          mp_item_nr: literal((orderNr * 10n + 1n).toString()),
          partner_sku: `SKU-${page * 3 + i + 1}`,
          mp_status: 'created',
          integration_status: 'pending',
          delivered_invoice_price: literal(priceFor(orderNr.toString(), 50)),
          cancellation_reason_code: null,
        },
      ],
    };
  });
  sendLossless(call.res, { next_token: page === 0 ? 'page-2' : '', orders });
}

function echoQuery(call: ApiCall): void {
  const echo = call.query.get('echo') ?? '';
  sendJsonText(call.res, 200, JSON.stringify({ echo, project_code: call.projectCode }));
}

function echoTag(call: ApiCall, [tag]: string[]): void {
  sendJsonText(call.res, 200, JSON.stringify({ echo: segment(tag), project_code: call.projectCode }));
}

/** Sends the body back byte for byte, so clients can check exactly what they sent. */
function echoBody(call: ApiCall): void {
  const contentType = call.headers['content-type'] ?? 'application/json';
  sendBody(call.res, 200, call.body, { 'content-type': contentType, 'x-echo-project': call.projectCode });
}

const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/identity\/v1\/whoami$/, handle: whoami },
  { method: 'GET', pattern: /^\/offer\/v1\/product\/([^/]+)$/, handle: productOffers },
  { method: 'POST', pattern: /^\/pricing\/v1\/pricing\/get$/, handle: pricingGet },
  { method: 'POST', pattern: /^\/content\/v1\/categories\/list$/, handle: categoriesList },
  { method: 'POST', pattern: /^\/fbpi\/v1\/fbpi-orders\/list$/, handle: fbpiOrdersList },
  { method: 'GET', pattern: /^\/echo\/v1\/echo$/, handle: echoQuery },
  { method: 'POST', pattern: /^\/echo\/v1\/echo$/, handle: echoBody },
  { method: 'GET', pattern: /^\/echo\/v1\/([^/]+)\/echo$/, handle: echoTag },
];

/**
 * Answers a catalog endpoint for an authenticated caller.
 * Returns false when no route knows the path (the caller answers 404); a known path with another
 * method gets 405 here.
 */
export function serveApi(call: ApiCall): boolean {
  let pathKnown = false;
  for (const route of ROUTES) {
    const match = route.pattern.exec(call.pathname);
    if (!match) {
      continue;
    }
    pathKnown = true;
    if (route.method === call.method) {
      route.handle(call, match.slice(1));
      return true;
    }
  }
  if (pathKnown) {
    sendRpcStatus(call.res, 405, 'UNIMPLEMENTED', `method ${call.method} is not allowed on ${call.pathname}`);
  }
  return pathKnown;
}
