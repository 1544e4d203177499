import { describe, expect, it } from 'vitest';
import { RunInterrupt } from './run-interrupt.js';

describe('RunInterrupt', () => {
  it.each([
    { action: 'cancel' as const, canceled: true, signalAborted: true },
    { action: 'stop' as const, canceled: false, signalAborted: false },
  ])('$action ends waits; canceled=$canceled; RunFlux signal aborted=$signalAborted', ({ action, canceled, signalAborted }) => {
    const interrupt = new RunInterrupt();
    const signal = interrupt.cancelSignal;
    let woke = 0;
    interrupt.onAbort(() => woke++);
    interrupt[action]();
    interrupt[action]();
    expect(woke).toBe(1);
    expect(interrupt.aborted).toBe(true);
    expect(interrupt.canceled).toBe(canceled);
    expect(signal.aborted).toBe(signalAborted);
  });

  it('a signal asked for after cancel is already aborted; disposed listeners are not called', () => {
    const interrupt = new RunInterrupt();
    let woke = 0;
    const dispose = interrupt.onAbort(() => woke++);
    dispose();
    interrupt.cancel();
    expect(woke).toBe(0);
    expect(interrupt.cancelSignal.aborted).toBe(true);
  });
});
