import { describe, expect, it } from 'vitest';
import { parseParams } from './script.js';

describe('parseParams', () => {
  it.each([
    [['bucket=telemetry'], { bucket: 'telemetry' }],
    [['n=10', 'f=1.5', 'b=true'], { n: 10, f: 1.5, b: true }],
    [['s="10"'], { s: '10' }],
    [['expr=a=b'], { expr: 'a=b' }],
    [['empty='], { empty: '' }],
    [['list=[1,2]'], { list: [1, 2] }],
  ])('%j', (pairs, params) => {
    expect(parseParams(pairs)).toEqual(params);
  });

  it.each([['novalue'], ['=x']])('refuses %s', (pair) => {
    expect(() => parseParams([pair])).toThrow('must be key=value');
  });
});
