import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time a process has used so far, ns: the sum over its threads of the first field of
 * `/proc/PID/task/TID/schedstat` (time on a CPU, nanosecond resolution; `/proc/PID/stat`'s ticks
 * are 10 ms, too coarse for one query). Threads that already exited are not counted, so a
 * difference between two readings can miss a thread's last moments: good enough to see a server
 * working in the background, not an accounting. Undefined when the process is gone.
 */
export function processCpuNs(pid: number): number | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let total = 0;
  for (const tid of tasks) {
    try {
      const first = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ', 1)[0]!;
      total += Number(first);
    } catch {
      // The thread exited between the listing and the read.
    }
  }
  return total;
}
