import { CallError, type PackageDef } from '../../interpreter/index.js';
import { durationFromNs } from '../../../core/duration.js';
import { UTC_LOCATION, locationRecord } from './location.js';
import { isKnownZone } from './zone-clock.js';

/**
 * `timezone`: location records for `option location` and the `location:` parameters.
 * `location(name:)` checks the name against the timezone database; `fixed(offset:)` is UTC
 * shifted by a constant offset.
 */
export const timezonePackage: PackageDef = {
  path: 'timezone',
  values: { utc: UTC_LOCATION },
  builtins: {
    location: {
      signature: '(name: string) => {zone: string, offset: duration}',
      call(args) {
        const name = args.string('name');
        if (!isKnownZone(name)) throw new CallError(`unknown time zone ${name}`);
        return locationRecord({ zone: name, offset: durationFromNs(0n) });
      },
    },
    fixed: {
      signature: '(offset: duration) => {zone: string, offset: duration}',
      call: (args) => locationRecord({ zone: 'UTC', offset: args.duration('offset') }),
    },
  },
};

/**
 * Universe's `location` (default UTC), so that `option location = timezone.location(...)` in a
 * program replaces it and the date functions and windows see it. Universe belongs to the
 * prelude's owners: if universe declares `location` itself, drop this.
 */
export const universeLocationOption: PackageDef = { path: 'universe', values: { location: UTC_LOCATION } };
