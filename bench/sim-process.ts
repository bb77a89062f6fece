/**
 * The simulated tenant in its own process (run with `node --import tsx`), so that its CPU time is
 * not charged to the client being measured, as with a real, remote Graph. run.ts starts it with
 * fork() and steers it over IPC: `stats`, `faults` (FaultSettings patch) and `close`. It also
 * stops when the parent goes away.
 */
import { proceduralUpn } from '../sim/data/people.js';
import { startSimulator } from '../sim/index.js';
import type { JsonObject } from '../sim/types.js';

export interface SimReady {
  type: 'ready';
  url: string;
  caFile: string;
  /** Client-credentials integration params pointing at the sim, and the YAML file holding them. */
  params: JsonObject;
  paramsFile: string;
  /** UPN of a named seed user (adele). */
  named: string;
  users: number;
  /** UPNs of the generated users user1..user{BENCH_SIM_UPNS} (the bulk scenario's targets). */
  upns: string[];
}

export interface SimCall {
  id: number;
  op: 'stats' | 'faults' | 'close';
  faults?: { latencyMs?: number; p429?: number; p503?: number };
}

export interface SimAnswer {
  type: 'answer';
  id: number;
  result?: JsonObject;
  error?: string;
}

const users = Number(process.env.BENCH_SIM_USERS ?? '100000');
const outDir = process.env.BENCH_SIM_OUT_DIR;
const send = process.send?.bind(process);
if (!outDir || !send) {
  process.stderr.write('sim-process: started by bench/run.ts (fork, BENCH_SIM_OUT_DIR set)\n');
  process.exit(2);
}

const sim = await startSimulator({ users, seed: 'bench', outDir });
let closing: Promise<void> | undefined;
const close = (): Promise<void> =>
  (closing ??= sim.close().then(() => {
    process.disconnect?.();
    process.exit(0);
  }));

process.on('disconnect', () => void close());
process.on('SIGTERM', () => void close());
process.on('message', (message: SimCall) => {
  const answer: SimAnswer = { type: 'answer', id: message.id };
  try {
    if (message.op === 'stats') answer.result = sim.stats();
    else if (message.op === 'faults') sim.setFaults(message.faults ?? {});
    else if (message.op === 'close') {
      void close();
      return;
    }
  } catch (err) {
    answer.error = (err as Error).message;
  }
  send(answer);
});

const ready: SimReady = {
  type: 'ready',
  url: sim.url,
  caFile: sim.caFile ?? '',
  params: sim.paramsFor('client-credentials'),
  paramsFile: sim.paramsFiles['client-credentials'] ?? '',
  named: sim.users.adele?.userPrincipalName ?? '',
  users,
  upns: Array.from({ length: Number(process.env.BENCH_SIM_UPNS ?? '0') }, (_, i) =>
    proceduralUpn(i + 1),
  ),
};
send(ready);
