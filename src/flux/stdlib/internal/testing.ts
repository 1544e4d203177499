import type { PackageDef } from '../../interpreter/index.js';

/**
 * internal/testing: assertions Flux's own tests use (our own definitions, in Flux, over the
 * testing and experimental packages).
 */
export const internalTesting: PackageDef = {
  path: 'internal/testing',
  source: `
import "array"
import "experimental"
import "regexp"
import "testing"

shouldErrorWithCode = (fn, want, code) => {
    caught = experimental.catch(fn: fn)
    return if exists caught.msg then
        testing.diff(
            got: array.from(rows: [{code: caught.code, match: caught.msg =~ want}]),
            want: array.from(rows: [{code: code, match: true}]),
        )
    else
        die(msg: "shouldErrorWithCode expected an error")
}

assertMatches = (got, want) => if got =~ want then
    testing.assertEqualValues(got: "", want: "")
else
    die(msg: "Regex \`\${regexp.getString(r: want)}\` does not match \`\${got}\`")
`,
};

/** internal/influxql: the time bounds InfluxQL results use. */
export const internalInfluxql: PackageDef = {
  path: 'internal/influxql',
  source: `
epoch = 1970-01-01T00:00:00Z
minTime = 1677-09-21T00:12:43.145224194Z
maxTime = 2262-04-11T23:47:16.854775806Z
`,
};
