// The listing baseline: the least a Node process can do to fetch every page msgraph-user-list
// fetches. One keep-alive HTTPS connection, the same first URL (same $top, $select, $count) and
// ConsistencyLevel header, the same bearer token; each page is read, parsed (to find the next
// link) and dropped. Run by run.ts as a separate `node` process, like the CLI it is compared with.
//   env: BENCH_LIST_URL (first page), BENCH_TOKEN; trusts the sim through NODE_EXTRA_CA_CERTS.
//   stdout: {"pages":N,"items":M}
import { Agent, request } from 'node:https';

const first = process.env.BENCH_LIST_URL;
const token = process.env.BENCH_TOKEN;
if (!first || !token) {
  process.stderr.write('bare-list: BENCH_LIST_URL and BENCH_TOKEN are required\n');
  process.exit(2);
}
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const headers = { Authorization: `Bearer ${token}`, ConsistencyLevel: 'eventual' };

function get(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`${res.statusCode} ${text.slice(0, 200)}`));
        else resolve(JSON.parse(text));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let pages = 0;
let items = 0;
for (let url = first; url;) {
  const page = await get(url);
  pages += 1;
  items += page.value.length;
  url = page['@odata.nextLink'];
}
agent.destroy();
process.stdout.write(`${JSON.stringify({ pages, items })}\n`);
