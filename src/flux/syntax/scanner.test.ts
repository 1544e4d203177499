import { describe, expect, test } from 'vitest';
import type { ScanMode } from './scanner.js';
import { Scanner } from './scanner.js';

/** All tokens of `src` as `TYPE:lit` strings, EOF excluded. */
function tokens(src: string, mode: ScanMode = 'main'): string[] {
  const s = new Scanner(src);
  const out: string[] = [];
  for (;;) {
    const t = s.scan(mode);
    if (t.type === 'EOF') return out;
    out.push(`${t.type}:${t.lit}`);
  }
}

describe('Scanner', () => {
  test.each([
    ['keywords and identifiers', 'and or not import package return option builtin testcase if then else exists',
      ['AND:and', 'OR:or', 'NOT:not', 'IMPORT:import', 'PACKAGE:package', 'RETURN:return', 'OPTION:option',
        'BUILTIN:builtin', 'TESTCASE:testcase', 'IF:if', 'THEN:then', 'ELSE:else', 'EXISTS:exists']],
    ['keyword prefixes are identifiers', 'andy order _x αβ x1', ['IDENT:andy', 'IDENT:order', 'IDENT:_x', 'IDENT:αβ', 'IDENT:x1']],
    ['integers', '0 42 0123', ['INT:0', 'INT:42', 'INT:0123']],
    ['floats', '0. 72.40 .26 1.5', ['FLOAT:0.', 'FLOAT:72.40', 'FLOAT:.26', 'FLOAT:1.5']],
    ['durations', '1s 10d 1h15m 5w 1mo5d 1y 3ms 4us 5µs 6ns 7m', ['DURATION:1s', 'DURATION:10d', 'DURATION:1h15m',
      'DURATION:5w', 'DURATION:1mo5d', 'DURATION:1y', 'DURATION:3ms', 'DURATION:4us', 'DURATION:5µs', 'DURATION:6ns', 'DURATION:7m']],
    ['duration longest unit', '1mo 1ms 1m1s', ['DURATION:1mo', 'DURATION:1ms', 'DURATION:1m1s']],
    ['date-times', '2018-01-01 1952-01-25T12:35:51Z 2018-08-15T13:36:23-07:00 2018-08-15T13:36:23.123456789Z',
      ['TIME:2018-01-01', 'TIME:1952-01-25T12:35:51Z', 'TIME:2018-08-15T13:36:23-07:00', 'TIME:2018-08-15T13:36:23.123456789Z']],
    ['date-time without offset still scans as TIME', '2018-01-01T00:00:00', ['TIME:2018-01-01T00:00:00']],
    ['operators', '+ - * / % ^ == != < <= > >= =~ !~ = => <- |> ( ) [ ] { } , . : ? @attr',
      ['ADD:+', 'SUB:-', 'MUL:*', 'DIV:/', 'MOD:%', 'POW:^', 'EQ:==', 'NEQ:!=', 'LT:<', 'LTE:<=', 'GT:>', 'GTE:>=',
        'REGEXEQ:=~', 'REGEXNEQ:!~', 'ASSIGN:=', 'ARROW:=>', 'PIPE_RECEIVE:<-', 'PIPE_FORWARD:|>', 'LPAREN:(',
        'RPAREN:)', 'LBRACK:[', 'RBRACK:]', 'LBRACE:{', 'RBRACE:}', 'COMMA:,', 'DOT:.', 'COLON::', 'QUESTION_MARK:?',
        'ATTRIBUTE:@attr']],
    ['strings', String.raw`"abc" "a\"b" "\\" "\x41" "$" "a$b" ""`,
      [String.raw`STRING:"abc"`, String.raw`STRING:"a\"b"`, String.raw`STRING:"\\"`, String.raw`STRING:"\x41"`,
        'STRING:"$"', 'STRING:"a$b"', 'STRING:""']],
    ['multi-line string', '"a\nb"', ['STRING:"a\nb"']],
    ['interpolated string starts with QUOTE', '"a${b}"', ['QUOTE:"', 'IDENT:a', 'ILLEGAL:$', 'LBRACE:{', 'IDENT:b', 'RBRACE:}', 'QUOTE:"']],
    ['bad escape makes QUOTE', String.raw`"a\qb"`, ['QUOTE:"', 'IDENT:a', 'ILLEGAL:\\', 'IDENT:qb', 'QUOTE:"']],
    ['comments are skipped', 'a // comment\nb//x', ['IDENT:a', 'IDENT:b']],
    ['illegal characters', '# ! | ~', ['ILLEGAL:#', 'ILLEGAL:!', 'ILLEGAL:|', 'ILLEGAL:~']],
    ['slash is division in main mode', 'a /b/ c', ['IDENT:a', 'DIV:/', 'IDENT:b', 'DIV:/', 'IDENT:c']],
  ])('%s', (_name, src, want) => {
    expect(tokens(src)).toEqual(want);
  });

  test.each([
    ['/abc/', 'REGEX:/abc/'],
    [String.raw`/a\/b/`, String.raw`REGEX:/a\/b/`],
    [String.raw`/http:\/\/localhost:8086/ + x`, String.raw`REGEX:/http:\/\/localhost:8086/`],
    [String.raw`/a\/`, String.raw`REGEX:/a\/`],
    ['/(?:)/', 'REGEX:/(?:)/'],
    ['/ a', 'DIV:/'],
  ])('regex mode reads %s', (src, want) => {
    expect(new Scanner(src).scan('regex')).toMatchObject({ type: want.split(':')[0], lit: want.slice(want.indexOf(':') + 1) });
  });

  test('string expression mode splits text, interpolations and the closing quote', () => {
    const s = new Scanner('ab\\n$' + '{x}$"');
    const got = [s.scan('stringExpr'), s.scan('stringExpr')].map((t) => `${t.type}:${t.lit}`);
    expect(got).toEqual([String.raw`TEXT:ab\n`, 'STRINGEXPR:${']);
    expect(s.scan('main').lit).toBe('x');
    expect(s.scan('main').type).toBe('RBRACE');
    expect([s.scan('stringExpr'), s.scan('stringExpr')].map((t) => `${t.type}:${t.lit}`)).toEqual(['TEXT:$', 'QUOTE:"']);
  });

  test('positions are 1-based lines and UTF-8 byte columns, end exclusive', () => {
    const s = new Scanner('a\n  αβ = "日"\n');
    const got = [s.scan(), s.scan(), s.scan(), s.scan(), s.scan()].map(
      (t) => `${t.type}@${t.start.line}:${t.start.column}-${t.end.line}:${t.end.column}`,
    );
    expect(got).toEqual(['IDENT@1:1-1:2', 'IDENT@2:3-2:7', 'ASSIGN@2:8-2:9', 'STRING@2:10-2:15', 'EOF@3:1-3:1']);
  });

  test('a very long duration literal is one token (no recursion limit)', () => {
    const lit = '1h1m'.repeat(50_000);
    expect(new Scanner(lit).scan()).toMatchObject({ type: 'DURATION', lit });
  });

  test('unread goes back to before the last scan', () => {
    const s = new Scanner('x / 2 /');
    s.scan();
    expect(s.scan().type).toBe('DIV');
    s.unread();
    expect(s.scan('regex')).toMatchObject({ type: 'REGEX', lit: '/ 2 /' });
  });
});
