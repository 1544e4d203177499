import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isSluiceError } from '../../core/errors.js';
import { repairDataDir } from '../../server/repair.js';

const HELP = `Usage: sluice repair [--data-dir DIR]

Repairs a data directory whose write-ahead log is corrupt (the server refuses to start and names the
segment and offset): truncates the WAL at the corruption and removes later segments. Writes after
the corruption point are lost; the report lists exactly what was dropped. Stop the server first.

Flags:
  --data-dir DIR   data directory (default $SLUICE_DATA_DIR or ~/.sluice)

Example:
  sluice repair --data-dir /var/lib/sluice
`;

export async function repairCommand(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    process.stderr.write(`sluice repair: ${(e as Error).message}\n${HELP}`);
    return 1;
  }
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const dataDir = resolve(values['data-dir'] ?? process.env.SLUICE_DATA_DIR ?? join(homedir(), '.sluice'));
  try {
    const report = await repairDataDir(dataDir);
    if (report.corruption === null && report.truncated === null) {
      process.stdout.write(`${dataDir}: the write-ahead log is intact; nothing to repair\n`);
      return 0;
    }
    if (report.corruption !== null) {
      const c = report.corruption;
      process.stdout.write(`corruption in ${c.segment} at byte ${c.offset}: ${c.reason}\n`);
    }
    if (report.truncated !== null) {
      const t = report.truncated;
      process.stdout.write(`truncated ${t.segment} at byte ${t.offset} (${t.droppedBytes} bytes dropped)\n`);
    }
    for (const s of report.removedSegments) process.stdout.write(`removed ${s.segment} (${s.sizeBytes} bytes)\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`sluice repair: ${isSluiceError(e) ? e.message : String(e)}\n`);
    return 1;
  }
}
