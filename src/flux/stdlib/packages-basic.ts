import type { PackageDef } from '../interpreter/index.js';
import { arrayFunctions } from './array/array-functions.js';
import { bitwisePackage, experimentalBitwisePackage } from './bitwise/bitwise.js';
import { datePackage } from './date/date.js';
import { dictPackage } from './dict/dict.js';
import { experimentalArrayPackage } from './experimental-array/experimental-array.js';
import { boundariesPackage, movedBoundariesPackage } from './experimental-date/boundaries.js';
import { jsonPackage } from './json/json.js';
import { mathPackage } from './math/math.js';
import { regexpPackage } from './regexp/regexp.js';
import { runtimePackage } from './runtime/runtime.js';
import { stringsPackage } from './strings/strings.js';
import { systemPackage } from './system/system.js';
import { timezonePackage, universeLocationOption } from './timezone/timezone.js';
import { typesPackage } from './types/types.js';

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
  regexpPackage,
  typesPackage,
  dictPackage,
  jsonPackage,
  runtimePackage,
  systemPackage,
  bitwisePackage,
  experimentalBitwisePackage,
];
