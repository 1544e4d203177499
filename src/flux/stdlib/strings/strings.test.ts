import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayExpression } from '../runtime/display-expression.js';

const P = 'import "strings"';

describe('strings', () => {
  it.each([
    ['strings.title(v: "hello wORLD-foo_bar")', 'Hello WORLD-Foo_bar'],
    ['strings.toUpper(v: "straße")', 'STRAßE'],
    ['strings.toLower(v: "ÀB")', 'àb'],
    ['strings.toTitle(v: "ab")', 'AB'],
    ['strings.toTitle(v: "ǳ")', 'ǲ'],
    ['strings.toUpper(v: "ǳ")', 'Ǳ'],
    ['strings.title(v: "ǳabc")', 'ǲabc'],
    ['strings.trim(v: "..a.b..", cutset: ".")', 'a.b'],
    ['strings.trimLeft(v: "xxaxx", cutset: "x")', 'axx'],
    ['strings.trimRight(v: "xxaxx", cutset: "x")', 'xxa'],
    ['strings.trimSpace(v: "\\t a b \\n")', 'a b'],
    ['strings.trimPrefix(v: "abc", prefix: "ab")', 'c'],
    ['strings.trimSuffix(v: "abc", suffix: "bc")', 'a'],
    ['strings.hasPrefix(v: "abc", prefix: "ab")', 'true'],
    ['strings.hasSuffix(v: "abc", suffix: "ab")', 'false'],
    ['strings.containsStr(v: "abc", substr: "")', 'true'],
    ['strings.containsAny(v: "abc", chars: "")', 'false'],
    ['strings.containsAny(v: "abc", chars: "xc")', 'true'],
    ['strings.equalFold(v: "Go", t: "GO")', 'true'],
    ['strings.compare(v: "a", t: "b")', '-1'],
    ['strings.compare(v: "b", t: "b")', '0'],
    ['strings.countStr(v: "cheese", substr: "e")', '3'],
    ['strings.countStr(v: "five", substr: "")', '5'],
    // Indexes are UTF-8 byte offsets, as in Go.
    ['strings.index(v: "chicken", substr: "ken")', '4'],
    ['strings.index(v: "héllo", substr: "l")', '3'],
    ['strings.index(v: "chicken", substr: "dmr")', '-1'],
    ['strings.lastIndex(v: "go gopher", substr: "go")', '3'],
    ['strings.indexAny(v: "golang", chars: "ng")', '0'],
    ['strings.lastIndexAny(v: "golang", chars: "ng")', '5'],
    ['strings.isDigit(v: "7")', 'true'],
    ['strings.isLetter(v: "7")', 'false'],
    ['strings.isLower(v: "a")', 'true'],
    ['strings.isUpper(v: "a")', 'false'],
    ['strings.repeat(v: "ab", i: 3)', 'ababab'],
    ['strings.replace(v: "oink oink oink", t: "k", u: "ky", i: 2)', 'oinky oinky oink'],
    ['strings.replace(v: "abc", t: "", u: "-", i: 2)', '-a-bc'],
    ['strings.replaceAll(v: "oink oink", t: "oink", u: "moo")', 'moo moo'],
    ['strings.split(v: "a,b,c", t: ",")', '[a, b, c]'],
    ['strings.split(v: "abc", t: "")', '[a, b, c]'],
    ['strings.splitAfter(v: "a,b,c", t: ",")', '[a,, b,, c]'],
    ['strings.splitN(v: "a,b,c", t: ",", i: 2)', '[a, b,c]'],
    ['strings.splitN(v: "a,b,c", t: ",", i: 0)', '[]'],
    ['strings.splitAfterN(v: "a,b,c", t: ",", i: 2)', '[a,, b,c]'],
    ['strings.joinStr(arr: ["a", "b"], v: ", ")', 'a, b'],
    ['strings.strlen(v: "héllo")', '5'],
    ['strings.substring(v: "héllo", start: 1, end: 3)', 'él'],
    ['strings.substring(v: "abc", start: -5, end: 99)', 'abc'],
    ['strings.substring(v: "abc", start: 2, end: 1)', ''],
  ])('%s = %s', async (expr, want) => {
    expect(await displayExpression(expr, P)).toBe(want);
  });

  it.each([
    ['strings.isDigit(v: "12")', /argument length is not equal to 1/],
    ['strings.repeat(v: "a", i: -1)', /negative Repeat count/],
    ['strings.repeat(v: "ab", i: 9000000000000000000)', /Repeat output length overflow/],
  ])('%s fails', async (expr, err) => {
    await expect(displayExpression(expr, P)).rejects.toThrow(err);
  });
});

describe('case mapping of ASCII text', () => {
  it('maps each character on its own, as for any text', async () => {
    const { toLower, toTitle, toUpper } = await import('./go-strings.js');
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (s) => {
        const each = (f: (c: string) => string): string => [...s].map(f).join('');
        expect(toUpper(s)).toBe(each((c) => c.toUpperCase()));
        expect(toTitle(s)).toBe(each((c) => c.toUpperCase()));
        expect(toLower(s)).toBe(each((c) => c.toLowerCase()));
      }),
    );
    // Not ASCII: per code point, a mapping that would expand is not applied (Go's simple case).
    expect(toUpper('straße!')).toBe('STRAßE!');
  });
});
