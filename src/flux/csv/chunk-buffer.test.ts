import { describe, expect, it } from 'vitest';
import { ChunkBuffer } from './chunk-buffer.js';

const fill = (out: ChunkBuffer, n: number, byte: number): void => {
  out.ensure(n);
  out.buf.fill(byte, out.pos, out.pos + n);
  out.pos += n;
};

describe('ChunkBuffer', () => {
  it('grows for a write larger than its capacity, keeping what was written', () => {
    const out = new ChunkBuffer(1024);
    out.utf8('abc');
    out.bytes(Buffer.alloc(5000, 120));
    out.utf8('ü');
    const chunk = out.take()!;
    expect(chunk.length).toBe(3 + 5000 + 2);
    expect(chunk.toString('utf8')).toBe(`abc${'x'.repeat(5000)}ü`);
    expect(out.take()).toBeUndefined();
  });

  it('keeps `view` on the current buffer: made anew when it grows and when a chunk is taken', () => {
    const out = new ChunkBuffer(1024);
    const writeWord = (): void => {
      out.ensure(4);
      out.view.setInt32(out.pos, 0x64636261, true); // 'abcd'
      out.pos += 4;
    };
    writeWord();
    fill(out, 2000, 120); // grows
    writeWord();
    expect(out.take()!.toString('latin1')).toBe(`abcd${'x'.repeat(2000)}abcd`);
    fill(out, 500, 121); // over an eighth of the capacity: handed over, a fresh buffer started
    const handed = out.take()!;
    writeWord();
    expect(handed.toString('latin1')).toBe('y'.repeat(500));
    expect(out.take()!.toString('latin1')).toBe('abcd');
  });

  it('copies small chunks out and hands large ones over with a fresh buffer', () => {
    const out = new ChunkBuffer(1024);
    fill(out, 100, 1);
    const small = out.take()!;
    const buf = out.buf;
    fill(out, 900, 2);
    expect(out.buf).toBe(buf); // the copy left the buffer in place
    const large = out.take()!;
    expect(large.buffer).toBe(buf.buffer);
    expect(out.buf.buffer).not.toBe(buf.buffer);
    fill(out, 900, 3);
    expect(small.every((b) => b === 1)).toBe(true);
    expect(large.every((b) => b === 2)).toBe(true);
  });

  it('reuses a recycled chunk once, and never a copy or a grown buffer', () => {
    const out = new ChunkBuffer(1024);
    fill(out, 900, 1);
    const first = out.take()!;
    out.recycle(first);
    out.recycle(first); // a second hand-back is ignored
    fill(out, 900, 2);
    expect(out.take()!.buffer).not.toBe(first.buffer); // the current buffer was fresh
    // The next buffer after that is the recycled one, and only once.
    expect(out.buf.buffer).toBe(first.buffer);
    fill(out, 900, 3);
    out.take();
    expect(out.buf.buffer).not.toBe(first.buffer);

    fill(out, 10, 4);
    const copy = out.take()!;
    out.recycle(copy);
    fill(out, 5000, 5);
    const grown = out.take()!;
    out.recycle(grown);
    fill(out, 900, 6);
    out.take();
    expect([copy.buffer, grown.buffer]).not.toContain(out.buf.buffer);
  });

  it('a chunk recycled by one ChunkBuffer is the buffer a later one of the same capacity starts with, once', () => {
    // A capacity no other test uses: the free lists are shared by the whole process.
    const capacity = 4099;
    const first = new ChunkBuffer(capacity);
    fill(first, 3000, 1);
    const chunk = first.take()!;
    first.recycle(chunk);
    const second = new ChunkBuffer(capacity);
    expect(second.buf.buffer).toBe(chunk.buffer);
    const third = new ChunkBuffer(capacity);
    expect(third.buf.buffer).not.toBe(chunk.buffer);
    const other = new ChunkBuffer(capacity + 1);
    expect(other.buf.buffer).not.toBe(chunk.buffer);
  });
});
