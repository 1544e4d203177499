// Fixture for the `sluice flux test` CLI tests: one testcase per outcome the runner must tell
// apart. Uses only array.from, filter and yield, so it does not depend on the testing package:
// a table yielded to "errorOutput" is exactly what testing.diff produces for a difference.
package outcomes_test

import "array"

data = array.from(rows: [{_value: 1}, {_value: 2}, {_value: 3}])

testcase passes {
    // No row is out of range, so errorOutput stays empty.
    data |> filter(fn: (r) => r._value < 1 or r._value > 3) |> yield(name: "errorOutput")
}

testcase differs {
    data |> filter(fn: (r) => r._value == 2) |> yield(name: "errorOutput")
}

testcase errors {
    x = [1, 2][5]
}

testcase other_results_do_not_count {
    data |> yield(name: "shown")
}

testcase tagged {
    // Skipped unless run with --tags skip; then it fails to compile, as `testing` is not imported.
    option testing.tags = ["skip"]
}
