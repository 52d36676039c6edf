import net from 'node:net';

/**
 * A TCP relay in front of PostgreSQL that reads the statements going through it: the
 * app under test connects to the relay's URL, and the test sees every SQL text the app
 * sent (simple queries and the Parse step of extended ones), in order. Nothing in the app
 * is instrumented; what is counted is what reached the database.
 *
 * It reads the frontend side of the protocol only: after the startup packet (and an
 * SSLRequest or GSSENCRequest before it, answered by the server), every message is a type
 * byte, an Int32 length that counts itself, and the body.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */
export interface PgQueryLog {
  /** The database URL that goes through the relay. */
  url: string;
  /** Every statement since the start or the last `clear()`. */
  statements(): string[];
  clear(): void;
  close(): Promise<void>;
}

const NEGOTIATION_CODES = new Set([80877103, 80877104]); // SSLRequest, GSSENCRequest

function cstring(buffer: Buffer, from: number): [string, number] {
  const end = buffer.indexOf(0, from);
  return [buffer.toString('utf8', from, end), end + 1];
}

/** Feeds client bytes in; calls `onStatement` for each Query ('Q') and Parse ('P'). */
function frontendReader(onStatement: (sql: string) => void) {
  let pending = Buffer.alloc(0);
  let startup = true;
  return (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (startup) {
        if (pending.length < 8) return;
        const length = pending.readInt32BE(0);
        if (pending.length < length) return;
        const code = pending.readInt32BE(4);
        pending = pending.subarray(length);
        if (!NEGOTIATION_CODES.has(code)) startup = false;
        continue;
      }
      if (pending.length < 5) return;
      const type = String.fromCharCode(pending[0]!);
      const length = pending.readInt32BE(1);
      if (pending.length < 1 + length) return;
      const body = pending.subarray(5, 1 + length);
      pending = pending.subarray(1 + length);
      if (type === 'Q') onStatement(cstring(body, 0)[0]);
      if (type === 'P') onStatement(cstring(body, cstring(body, 0)[1])[0]);
    }
  };
}

export async function startPgQueryLog(databaseUrl: string): Promise<PgQueryLog> {
  const target = new URL(databaseUrl);
  const statements: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    const read = frontendReader((sql) => statements.push(sql));
    client.on('data', (chunk: Buffer) => {
      read(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    statements: () => [...statements],
    clear: () => void statements.splice(0),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
