// The start-up floor: the least a Node process can do for msgraph-user-get. One HTTPS GET of the
// URL the product requests, with the token handed over in the environment (no file, no parsing
// of arguments or parameters, no output shaping); prints the body. Compared with `node -e 0`
// alongside the CLI, it shows how much of the CLI's start-up any Node client would pay. CommonJS,
// like the CLI's launcher: an ES module would add the ES loader's start-up to the floor.
//   env: BENCH_GET_URL, BENCH_TOKEN; trusts the sim through NODE_EXTRA_CA_CERTS, or, with
//   BENCH_INSECURE=1, accepts its certificate unchecked, as the CLI does with `insecure: true`
//   (the bench's setting without NODE_EXTRA_CA_CERTS; README.md explains).
'use strict';
const { request } = require('node:https');

const url = process.env.BENCH_GET_URL;
const token = process.env.BENCH_TOKEN;
if (!url || !token) {
  process.stderr.write('bare-get: BENCH_GET_URL and BENCH_TOKEN are required\n');
  process.exit(2);
}
const insecure = process.env.BENCH_INSECURE === '1';
request(
  url,
  {
    headers: { Authorization: `Bearer ${token}` },
    ...(insecure ? { rejectUnauthorized: false } : {}),
  },
  (res) => {
    const chunks = [];
    res.on('data', (chunk) => chunks.push(chunk));
    res.on('end', () => {
      process.stdout.write(Buffer.concat(chunks));
      process.exitCode = res.statusCode === 200 ? 0 : 1;
    });
  },
).end();
