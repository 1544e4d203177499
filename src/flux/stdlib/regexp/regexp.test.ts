import { describe, expect, it } from 'vitest';
import { displayExpression } from '../runtime/display-expression.js';

const P = 'import "regexp"\nimport "strings"';

describe('regexp', () => {
  it.each([
    ['regexp.getString(r: regexp.compile(v: "a+b"))', 'a+b'],
    ['regexp.quoteMeta(v: "a.b*c[d]")', 'a\\.b\\*c\\[d\\]'],
    ['regexp.findString(r: /o+/, v: "foo boo")', 'oo'],
    ['regexp.findString(r: /x/, v: "foo")', ''],
    ['regexp.findStringIndex(r: /o+/, v: "foo")', '[1, 3]'],
    // Byte offsets: é is two bytes in UTF-8.
    ['regexp.findStringIndex(r: /b/, v: "éb")', '[2, 3]'],
    ['regexp.findStringIndex(r: /x/, v: "foo")', '[]'],
    ['regexp.matchRegexpString(r: /^f/, v: "foo")', 'true'],
    ['regexp.replaceAllString(r: /a(x*)b/, v: "-ab-axxb-", t: "T")', '-T-T-'],
    ['regexp.replaceAllString(r: /a(x*)b/, v: "-ab-axxb-", t: "$1")', '--xx-'],
    // Go reads "$1W" as the group named "1W", which does not exist.
    ['regexp.replaceAllString(r: /a(x*)b/, v: "-ab-axxb-", t: "$1W")', '---'],
    ['regexp.replaceAllString(r: /a(x*)b/, v: "-ab-axxb-", t: "\\${1}W")', '-W-xxW-'],
    ['regexp.replaceAllString(r: /a(?P<x>x*)b/, v: "axb", t: "[$x]$$")', '[x]$'],
    ['regexp.replaceAllString(r: /a*/, v: "baaac", t: "-")', '-b-c-'],
    ['strings.joinStr(arr: regexp.splitRegexp(r: /a*/, v: "abaabaccadaaae", i: 5), v: "|")', '|b|b|c|cadaaae'],
    ['regexp.splitRegexp(r: /,/, v: "a,b,c", i: -1)', '[a, b, c]'],
    ['strings.joinStr(arr: regexp.splitRegexp(r: /a*/, v: "abaabaccadaaae", i: -1), v: "|")', '|b|b|c|c|d|e'],
    ['regexp.findString(r: /foo.?/, v: "seafood fool")', 'food'],
    ['regexp.findStringIndex(r: /ab?/, v: "tablet")', '[1, 3]'],
    ['regexp.quoteMeta(v: ".+*?()|[]{}^$")', '\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$'],
    ['regexp.splitRegexp(r: /,/, v: "a,b,c", i: 0)', '[]'],
    ['regexp.splitRegexp(r: /,/, v: "", i: -1)', '[]'],
  ])('%s = %s', async (expr, want) => {
    expect(await displayExpression(expr, P)).toBe(want);
  });
});
