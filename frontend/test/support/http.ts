/** Small HTTP helpers for talking to the running app like a browser without JavaScript. */
import { Agent } from 'undici';
import { rememberSecret } from './secrets';

/** Cookies by name, fed from Set-Cookie headers. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else {
        this.cookies.set(name, value);
        rememberSecret(value);
      }
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  has(name: string): boolean {
    return [...this.cookies.keys()].some((key) => key.endsWith(name));
  }
}

const octet = () => Math.floor(Math.random() * 254) + 1;

/**
 * A distinct client address per test, so rate-limit buckets never collide between tests.
 * Sent as X-Forwarded-For: only an app that trusts one proxy hop (TRUST_PROXY_HOPS=1, the
 * test playing that proxy) believes it.
 */
export function uniqueIp(): string {
  return `10.${octet()}.${octet()}.${octet()}`;
}

/**
 * A distinct loopback address to connect FROM (Linux routes all of 127/8 to lo), so the
 * app sees a different socket address: a real different client for an app that trusts
 * no proxy.
 */
export function uniqueLoopback(): string {
  return `127.${octet()}.${octet()}.${octet()}`;
}

const agents = new Map<string, Agent>();

/** How to reach the app as one client. */
export interface ClientOptions {
  /** X-Forwarded-For to send (the client's own claim unless a trusted proxy is played). */
  ip?: string;
  /** Local address to connect from (see uniqueLoopback); default 127.0.0.1. */
  source?: string;
  jar?: CookieJar;
}

/** Headers and dispatcher of one client's request. */
export function clientInit(options: ClientOptions): RequestInit & { dispatcher?: Agent } {
  const headers: Record<string, string> = {};
  if (options.ip !== undefined) headers['x-forwarded-for'] = options.ip;
  if (options.jar) headers.cookie = options.jar.header();
  let dispatcher: Agent | undefined;
  if (options.source) {
    dispatcher = agents.get(options.source);
    if (!dispatcher) {
      dispatcher = new Agent({ localAddress: options.source });
      agents.set(options.source, dispatcher);
    }
  }
  return { headers, ...(dispatcher ? { dispatcher } : {}) };
}

/** Closes the connections of the clients ./http opened from other loopback addresses. */
export async function closeClients(): Promise<void> {
  await Promise.all([...agents.values()].map((agent) => agent.close()));
  agents.clear();
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export interface JsonCall {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** POSTs JSON to Better Auth's HTTP API, as its browser client does. */
export async function postAuth(
  baseUrl: string,
  path: string,
  body: unknown,
  options: ClientOptions,
): Promise<JsonCall> {
  rememberSecret((body as { password?: string })?.password);
  const init = clientInit(options);
  const response = await fetch(`${baseUrl}/api/auth${path}`, {
    ...init,
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl, ...init.headers },
    body: JSON.stringify(body),
  });
  options.jar?.store(response);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** GET /api/auth/token with the client's session cookie: the JWT for the API. */
export async function fetchToken(baseUrl: string, options: ClientOptions): Promise<Response> {
  const response = await fetch(`${baseUrl}/api/auth/token`, clientInit(options));
  const token = (await response
    .clone()
    .json()
    .catch(() => ({}))) as { token?: string };
  rememberSecret(token.token);
  return response;
}

const ENTITIES: Record<string, string> = {
  '&quot;': '"',
  '&amp;': '&',
  '&#x27;': "'",
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
};
const decode = (value: string) =>
  value.replace(/&(quot|amp|#x27|#39|lt|gt);/g, (m) => ENTITIES[m]!);

/**
 * The hidden fields React renders into a server-action form (`$ACTION_...`, returnUrl),
 * of the first form whose markup contains `marker`.
 */
export function hiddenFields(html: string, marker = 'class="form"'): Record<string, string> {
  const form = html.match(/<form[\s\S]*?<\/form>/g)?.find((f) => f.includes(marker));
  if (!form) throw new Error(`no form with ${marker} in the page`);
  const fields: Record<string, string> = {};
  for (const input of form.match(/<input[^>]*type="hidden"[^>]*>/g) ?? []) {
    const name = input.match(/name="([^"]*)"/)?.[1];
    const value = input.match(/value="([^"]*)"/)?.[1] ?? '';
    if (name) fields[decode(name)] = decode(value);
  }
  return fields;
}

export interface FormPost {
  status: number;
  location: string | null;
  html: string;
  headers: Headers;
}

/**
 * Submits a page's form the way a browser WITHOUT JavaScript does: GET the page, then
 * POST its fields (hidden server-action fields included) as multipart/form-data.
 */
export async function submitForm(
  baseUrl: string,
  pagePath: string,
  fields: Record<string, string>,
  options: ClientOptions & { formMarker?: string },
): Promise<FormPost> {
  rememberSecret(fields.password);
  const page = await fetch(`${baseUrl}${pagePath}`, clientInit(options));
  const form = new FormData();
  for (const [name, value] of Object.entries({
    ...hiddenFields(await page.text(), options.formMarker),
    ...fields,
  })) {
    form.append(name, value);
  }
  const init = clientInit(options);
  const response = await fetch(`${baseUrl}${pagePath}`, {
    ...init,
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { origin: baseUrl, ...init.headers },
  });
  options.jar?.store(response);
  return {
    status: response.status,
    location: response.headers.get('location'),
    html: await response.text(),
    headers: response.headers,
  };
}

/** The form-level message (role="alert") or a field's message in a rendered page. */
export function alertText(html: string): string | undefined {
  // The auth forms' message (id="form-error", inside their always-present role="alert"
  // region), else the first role="alert" element with text (the account pages' forms).
  return (
    html.match(/id="form-error"[^>]*>([^<]*)</)?.[1] ??
    html.match(/role="alert"[^>]*>([^<]+)</)?.[1]
  );
}
export function fieldError(html: string, field: string): string | undefined {
  return html.match(new RegExp(`id="${field}-error"[^>]*>([^<]*)<`))?.[1];
}
