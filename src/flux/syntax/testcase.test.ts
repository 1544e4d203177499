import { describe, expect, test } from 'vitest';
import { isSluiceError } from '../../core/errors.js';
import { parse } from './parser.js';
import { print } from './printer.js';
import { expandTestCases, splitExtendsPath } from './testcase.js';

const SRC = `package things_test

import "testing"

data = 1

testcase first {
    option testing.tags = ["a"]
    testing.assertEqualValues(got: data, want: 1)
}

helper = 2

testcase second {
    x = helper
}
`;

describe('expandTestCases', () => {
  test('each testcase becomes a package main of the preamble followed by its body', () => {
    const programs = expandTestCases(parse(SRC).file);
    expect(programs.map((p) => p.name)).toEqual(['first', 'second']);
    expect(print(programs[0]!.file)).toBe(
      'package main\n\nimport "testing"\n\ndata = 1\nhelper = 2\noption testing.tags = ["a"]\ntesting.assertEqualValues(got: data, want: 1)\n',
    );
    expect(print(programs[1]!.file)).toBe('package main\n\nimport "testing"\n\ndata = 1\nhelper = 2\nx = helper\n');
  });

  test('extends merges the parent imports and preamble and replaces super()', () => {
    const parent = 'package p_test\nimport "testing"\nimport "array"\np = 10\ntestcase base {\n    y = p\n}\ntestcase other {\n    z = 0\n}\n';
    const child = 'package c_test\nimport "testing"\nc = 1\ntestcase ext extends "flux/dir/p_test.base" {\n    before = 1\n    super()\n    after = 2\n}\n';
    const reads: string[] = [];
    const programs = expandTestCases(parse(child).file, (module, path) => {
      reads.push(`${module}:${path}`);
      return module === 'flux' && path === 'dir/p_test.flux' ? parent : undefined;
    });
    expect(reads).toEqual(['flux:dir/p_test.flux']);
    expect(print(programs[0]!.file)).toBe(
      'package main\n\nimport "testing"\nimport "array"\n\nc = 1\np = 10\nbefore = 1\ny = p\nafter = 2\n',
    );
  });

  test.each([
    ['flux/testing/testing_test.test_option', { module: 'flux', file: 'testing/testing_test.flux', testcase: 'test_option' }],
    ['m/a.b', { module: 'm', file: 'a.flux', testcase: 'b' }],
  ])('splitExtendsPath(%s)', (path, want) => {
    expect(splitExtendsPath(path)).toEqual(want);
  });

  test.each([
    ['nomodule.case', 'testcase path must contain a module name'],
    ['missing/x.y', 'test module "missing" not found'],
  ])('bad extends path %s', (path, message) => {
    const file = parse(`testcase t extends "${path}" { super() }`).file;
    let error: unknown;
    try {
      expandTestCases(file, () => undefined);
    } catch (e) {
      error = e;
    }
    expect(isSluiceError(error) && error.code === 'invalid' && error.message).toBe(message);
  });
});
