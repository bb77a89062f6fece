// Preloaded with `node --import` into a measured process: at exit, writes the process's peak
// resident set size (process.resourceUsage().maxRSS, kB; VmHWM on Linux) to BENCH_RSS_FILE.
// Costs one listener; nothing runs before exit.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
