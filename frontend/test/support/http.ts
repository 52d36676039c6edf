/** Small HTTP helpers for talking to the running app like a browser without JavaScript. */

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
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  has(name: string): boolean {
    return [...this.cookies.keys()].some((key) => key.endsWith(name));
  }
}

/** A distinct client address per test, so rate-limit buckets never collide between tests. */
export function uniqueIp(): string {
  const n = () => Math.floor(Math.random() * 254) + 1;
  return `10.${n()}.${n()}.${n()}`;
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
  options: { ip: string; jar?: CookieJar },
): Promise<JsonCall> {
  const response = await fetch(`${baseUrl}/api/auth${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: baseUrl,
      'x-forwarded-for': options.ip,
      ...(options.jar ? { cookie: options.jar.header() } : {}),
    },
    body: JSON.stringify(body),
  });
  options.jar?.store(response);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
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
}

/**
 * Submits a page's form the way a browser WITHOUT JavaScript does: GET the page, then
 * POST its fields (hidden server-action fields included) as multipart/form-data.
 */
export async function submitForm(
  baseUrl: string,
  pagePath: string,
  fields: Record<string, string>,
  options: { ip: string; jar?: CookieJar; formMarker?: string },
): Promise<FormPost> {
  const page = await fetch(`${baseUrl}${pagePath}`, {
    headers: { 'x-forwarded-for': options.ip, cookie: options.jar?.header() ?? '' },
  });
  const form = new FormData();
  for (const [name, value] of Object.entries({
    ...hiddenFields(await page.text(), options.formMarker),
    ...fields,
  })) {
    form.append(name, value);
  }
  const response = await fetch(`${baseUrl}${pagePath}`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: {
      origin: baseUrl,
      'x-forwarded-for': options.ip,
      cookie: options.jar?.header() ?? '',
    },
  });
  options.jar?.store(response);
  return {
    status: response.status,
    location: response.headers.get('location'),
    html: await response.text(),
  };
}

/** The form-level message (role="alert") or a field's message in a rendered page. */
export function alertText(html: string): string | undefined {
  return html.match(/role="alert"[^>]*>([^<]*)</)?.[1];
}
export function fieldError(html: string, field: string): string | undefined {
  return html.match(new RegExp(`id="${field}-error"[^>]*>([^<]*)<`))?.[1];
}
