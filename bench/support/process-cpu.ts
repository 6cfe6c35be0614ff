import { readFileSync } from 'node:fs';

/** Linux reports a process's CPU time in clock ticks of 10 ms (`getconf CLK_TCK` is 100 on every Linux port). */
const MS_PER_TICK = 10;

/**
 * The CPU time, user and system, that process `pid` has used so far, in milliseconds, from
 * `/proc/<pid>/stat`; `null` where there is no such file (not Linux).
 */
export function processCpuMs(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}
