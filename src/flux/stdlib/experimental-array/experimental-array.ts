import type { PackageDef } from '../../interpreter/index.js';

/**
 * `experimental/array`: the array package's functions under their experimental path, plus
 * element-wise conversions written with universe's conversion functions.
 */
export const experimentalArrayPackage: PackageDef = {
  path: 'experimental/array',
  source: `
import "array"

from = array.from
concat = array.concat
map = array.map
filter = array.filter

// Each converts every element with the universe function of the same type name.
toBool = (arr=<-) => arr |> array.map(fn: (x) => bool(v: x))
toInt = (arr=<-) => arr |> array.map(fn: (x) => int(v: x))
toUInt = (arr=<-) => arr |> array.map(fn: (x) => uint(v: x))
toFloat = (arr=<-) => arr |> array.map(fn: (x) => float(v: x))
toString = (arr=<-) => arr |> array.map(fn: (x) => string(v: x))
toTime = (arr=<-) => arr |> array.map(fn: (x) => time(v: x))
toDuration = (arr=<-) => arr |> array.map(fn: (x) => duration(v: x))
`,
};
