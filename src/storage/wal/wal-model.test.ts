import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Wal, type WalPosition } from './wal.js';

/**
 * Model-based test: random sequences of appends (one at a time or concurrent), cuts, segment
 * removals and reopenings, checked against a plain list of what must survive.
 */

type Command =
  | { kind: 'append'; sizes: number[] } // appended in the same tick: one write group
  | { kind: 'cut' }
  | { kind: 'removeBeforeLastCut' }
  | { kind: 'reopen' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('append' as const), sizes: fc.array(fc.nat({ max: 700 }), { minLength: 1, maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cut' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'removeBeforeLastCut' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

interface ModelRecord {
  payload: string;
  position: WalPosition;
}

function payloadOf(id: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (id * 31 + i * 7) & 0xff;
  return out;
}
const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');

async function replayAll(wal: Wal): Promise<ModelRecord[]> {
  const out: ModelRecord[] = [];
  for await (const r of wal.replay()) out.push({ payload: b64(r.payload), position: r.position });
  return out;
}

async function filesBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

describe('Wal against a model', () => {
  it('replays exactly the records of the segments not removed, in order, across reopenings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), async (commands) => {
        const dir = await mkdtemp(join(tmpdir(), 'sluice-wal-model-'));
        const options = { segmentSizeBytes: 1024, fsync: false };
        let wal = await Wal.open(dir, options);
        let model: ModelRecord[] = [];
        let lastCut = 1;
        let id = 0;
        try {
          for (const c of commands) {
            if (c.kind === 'append') {
              const payloads = c.sizes.map((size) => payloadOf(id++, size));
              const positions = await Promise.all(payloads.map((p) => wal.append(p)));
              // Positions grow strictly in call order.
              const all = [...model.map((r) => r.position), ...positions];
              for (let i = 1; i < all.length; i++) {
                const [a, b] = [all[i - 1]!, all[i]!];
                expect(b.segment > a.segment || (b.segment === a.segment && b.offset > a.offset)).toBe(true);
              }
              model.push(...payloads.map((p, i) => ({ payload: b64(p), position: positions[i]! })));
            } else if (c.kind === 'cut') {
              lastCut = await wal.cut();
              expect(model.every((r) => r.position.segment < lastCut)).toBe(true);
            } else if (c.kind === 'removeBeforeLastCut') {
              await wal.removeSegmentsBefore(lastCut);
              model = model.filter((r) => r.position.segment >= lastCut);
            } else {
              await wal.close();
              wal = await Wal.open(dir, options);
              expect(await replayAll(wal)).toEqual(model);
            }
            expect(wal.stats().diskBytes).toBe(await filesBytes(dir));
          }
          expect(await replayAll(wal)).toEqual(model);
        } finally {
          await wal.close();
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
