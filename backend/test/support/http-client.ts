import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
}

export interface RawRequest {
  method?: string;
  /** Path and query, sent as written (no normalisation, no encoding). */
  path: string;
  /**
   * An object, or a flat `[name, value, name, value...]` list (the shape of Node's
   * `rawHeaders`), which can repeat a header, e.g. two `Authorization` lines.
   */
  headers?: Record<string, string> | string[];
  /** Sent as is; an object is JSON-encoded with `Content-Type: application/json`. */
  body?: string | Buffer | object;
}

/**
 * A client for attacking the API over real HTTP. Unlike supertest (a new connection per
 * request) it keeps connections alive, so thousands of fuzz requests do not churn sockets,
 * and it sends headers and paths byte for byte, duplicates included. Every `Authorization`
 * and `Cookie` value it sends is handed to `onSecret`, for the log-hygiene check.
 */
export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly baseUrl: string,
    private readonly onSecret: (value: string) => void = () => {},
    maxSockets = 16,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request({ method = 'GET', path, headers = {}, body }: RawRequest): Promise<RawResponse> {
    const url = new URL(this.baseUrl);
    const flat = Array.isArray(headers) ? [...headers] : Object.entries(headers).flat();
    for (let i = 0; i < flat.length; i += 2) {
      if (/^(authorization|cookie)$/i.test(flat[i])) this.onSecret(flat[i + 1]);
    }
    // With headers as a list Node adds none of its own, and HTTP/1.1 requires Host.
    if (!flat.some((h, i) => i % 2 === 0 && /^host$/i.test(h))) flat.unshift('Host', url.host);
    let payload: string | Buffer | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      if (!flat.some((h, i) => i % 2 === 0 && /^content-type$/i.test(h))) {
        flat.push('Content-Type', 'application/json');
      }
      flat.push('Content-Length', String(Buffer.byteLength(payload)));
    }
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: flat,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  get(path: string, headers?: RawRequest['headers']): Promise<RawResponse> {
    return this.request({ method: 'GET', path, headers });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `task` over `items` with at most `concurrency` at a time; results in input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
