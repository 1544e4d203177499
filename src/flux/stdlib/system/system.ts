import { SystemClock, type Clock } from '../../../core/clock.js';
import { ExternalKey, type PackageDef } from '../../interpreter/index.js';
import { timeValue } from '../../values/value.js';

/**
 * The clock behind `system.time()`; hosts and tests supply one as an external of the execution
 * (the system clock otherwise). Unlike `now()`, it is read at each call.
 */
export const SYSTEM_CLOCK = new ExternalKey<Clock>('system clock');

const defaultClock = new SystemClock();

/** `system`: the wall clock. */
export const systemPackage: PackageDef = {
  path: 'system',
  builtins: {
    time: {
      signature: '() => time',
      call: (args) => timeValue((args.ctx.external(SYSTEM_CLOCK) ?? defaultClock).nowNs()),
    },
  },
};
