import type { Server, ServerResponse } from 'node:http';

/**
 * `server.close()` waits for every open connection, and a keep-alive connection whose
 * request is still running stays open for the keep-alive timeout after its response.
 * Once `drain()` is called, responses still to be written (and any request that arrives
 * meanwhile) carry `Connection: close`, so each connection ends with its last response.
 */
export function trackInFlightResponses(server: Server): { drain(): void } {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_req, res: ServerResponse) => {
    if (draining) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  return {
    drain() {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    },
  };
}
