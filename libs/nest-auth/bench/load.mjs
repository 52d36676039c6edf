// Child process of guard.bench.mjs: runs autocannon against one URL and prints the result
// as JSON, so the load generator does not share a core with the server it measures.
// argv: url, duration (s), connections, tokens file ('-' for the fixed header), header
import fs from 'node:fs';
import autocannon from 'autocannon';

const [url, duration, connections, tokensFile, header] = process.argv.slice(2);
const tokens = tokensFile !== '-' ? fs.readFileSync(tokensFile, 'utf8').split('\n') : undefined;
let next = 0;

const result = await autocannon({
  url,
  duration: Number(duration),
  connections: Number(connections),
  headers: header ? { authorization: header } : {},
  requests: tokens
    ? [
        {
          setupRequest(req) {
            req.headers = {
              ...req.headers,
              authorization: `Bearer ${tokens[next++ % tokens.length]}`,
            };
            return req;
          },
        },
      ]
    : undefined,
});
process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }),
);
