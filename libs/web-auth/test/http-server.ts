import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 and an ephemeral port that records what it receives. */
export interface TestServer {
  origin: string;
  port: number;
  seen: SeenRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startServer(): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  let handler: Handler = (_req, res) => json(res, 200, { ok: true });
  const server: Server = createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    handle(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Answers 200 to `Bearer <one of accepted>` and 401 like a Nest API to anything else. */
export function acceptOnly(accepted: () => string[]): Handler {
  return (req, res) => {
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (token && accepted().includes(token)) json(res, 200, { ok: true, path: req.url });
    else json(res, 401, { statusCode: 401, error: 'Unauthorized', message: 'Invalid token' });
  };
}
