import { durationFromNs, isZeroDuration, type Duration } from '../../../core/duration.js';
import { CallError, type Args, type ExecContext } from '../../interpreter/index.js';
import { durationValue, recordValue, stringValue, type RecordValue, type Value } from '../../values/value.js';
import { isKnownZone } from './zone-clock.js';

/** A Flux location record `{zone: string, offset: duration}`: an IANA zone plus a fixed shift. */
export interface FluxLocation {
  /** "UTC" or an IANA zone name. */
  readonly zone: string;
  /** Added to wall-clock times after the zone's own offset (timezone.fixed puts it here). */
  readonly offset: Duration;
}

export const UTC: FluxLocation = { zone: 'UTC', offset: durationFromNs(0n) };

/** `timezone.utc` and the default of universe's `option location`. */
export const UTC_LOCATION: RecordValue = locationRecord(UTC);

export function locationRecord(loc: FluxLocation): RecordValue {
  return recordValue([
    ['zone', stringValue(loc.zone)],
    ['offset', durationValue(loc.offset)],
  ]);
}

/** Reads a location record with Flux's checks and messages; a null zone means UTC. */
export function parseLocation(v: Value): FluxLocation {
  if (v.kind !== 'record') throw new CallError(`location must be a record, got ${v.kind}`);
  const zone = v.fields.get('zone');
  if (zone === undefined) throw new CallError('zone property missing from location record');
  if (zone.kind !== 'string' && zone.kind !== 'null') {
    throw new CallError(`zone property for location must be of type string, got ${zone.kind}`);
  }
  const offset = v.fields.get('offset');
  if (offset !== undefined && offset.kind !== 'duration' && offset.kind !== 'null') {
    throw new CallError(`offset property for location must be of type duration, got ${offset.kind}`);
  }
  const off = offset?.kind === 'duration' ? offset.value : durationFromNs(0n);
  const name = zone.kind === 'string' ? zone.value : 'UTC';
  if (!isKnownZone(name)) throw new CallError(`unknown time zone ${name}`);
  return { zone: name === '' ? 'UTC' : name, offset: off };
}

/**
 * The `location` argument of a call, or else universe's `location` option, or else UTC (the
 * option's default).
 */
export function locationArg(args: Args, name = 'location'): FluxLocation {
  const v = args.get(name);
  return v === undefined || v.kind === 'null' ? locationOption(args.ctx) : parseLocation(v);
}

/** Universe's `option location` of this execution (UTC when not declared). */
export function locationOption(ctx: ExecContext): FluxLocation {
  const v = ctx.option('universe', 'location');
  return v === undefined || v.kind === 'null' ? UTC : parseLocation(v);
}

export function isUtc(loc: FluxLocation): boolean {
  return loc.zone === 'UTC' && isZeroDuration(loc.offset);
}
