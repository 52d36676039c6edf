// A stand-in for an app in tools/test/postgres-serve.spec.ts: holds a pooled connection like
// the API does and, on SIGTERM, closes it before exiting, writing what it saw to a log file.
const fs = require('node:fs');
const pg = require('pg');

const [url, logFile] = process.argv.slice(2);
const log = (line) => fs.appendFileSync(logFile, `${line}\n`);
const client = new pg.Client({ connectionString: url });
client.on('error', (error) => log(`app: connection error ${error.code ?? error.message}`));
client.connect().then(async () => {
  await client.query('SELECT 1');
  log('app: connected');
  process.on('SIGTERM', async () => {
    await client.query('SELECT 1');
    await client.end();
    log('app: closed its connection and exited');
    process.exit(0);
  });
});
