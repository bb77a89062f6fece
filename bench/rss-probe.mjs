// Preloaded with `node --import` into a measured process: at exit, writes the process's peak
// resident set size (process.resourceUsage().maxRSS, kB; VmHWM on Linux) and the CPU time it
// used (user and system, µs) to BENCH_RSS_FILE, space-separated. Costs one listener; nothing
// runs before exit.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, `${usage.maxRSS} ${usage.userCPUTime} ${usage.systemCPUTime}`);
  });
}
