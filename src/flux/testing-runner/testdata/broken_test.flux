// Fixture: a file that does not parse fails its testcases with the parser's diagnostics.
package broken_test

testcase unbalanced {
    x = (1 + 2
}
