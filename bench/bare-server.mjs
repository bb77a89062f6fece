// The floor of any HTTP API on this machine: a bare node:http server answering every request
// with the same bytes (BENCH_BODY, the engine's answer to the measured command). The bench times
// axios requests to it beside requests to the engine. Prints its port, runs until killed.
import { createServer } from 'node:http';

const body = process.env.BENCH_BODY ?? '{}';
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
