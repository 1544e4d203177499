import type { PackageDef } from '../interpreter/index.js';
import { arrayFunctions } from './array/array-functions.js';
import { datePackage } from './date/date.js';
import { experimentalArrayPackage } from './experimental-array/experimental-array.js';
import { boundariesPackage, movedBoundariesPackage } from './experimental-date/boundaries.js';
import { mathPackage } from './math/math.js';
import { stringsPackage } from './strings/strings.js';
import { timezonePackage, universeLocationOption } from './timezone/timezone.js';

/** The value packages (strings, math, regexp, date, timezone, types, dict, json, runtime, system, array). */
export const basicPackages: PackageDef[] = [
  universeLocationOption,
  timezonePackage,
  datePackage,
  boundariesPackage,
  movedBoundariesPackage,
  mathPackage,
  stringsPackage,
  arrayFunctions,
  experimentalArrayPackage,
];
