import { describe, expect, it } from 'vitest';
import { compareAnswer, summarizeFluxCsv, summarizeInfluxqlJson, summarizePromJson } from './answer.js';

describe('answer summaries', () => {
  it('Flux CSV: counts _value cells, sums them, counts hostnames', () => {
    const csv = [
      '#datatype,string,long,double,string',
      '#group,false,false,false,true',
      '#default,_result,,,',
      ',result,table,_value,hostname',
      ',,0,1.25,host_0',
      ',,0,2.5,host_0',
      ',,1,4,host_1',
      '',
    ].join('\r\n');
    expect(summarizeFluxCsv(csv)).toEqual({ values: 3, sum: 7.75, hosts: 2 });
  });

  it('InfluxQL JSON: numbers outside the time column, nulls skipped; errors thrown', () => {
    const json = JSON.stringify({
      results: [
        {
          statement_id: 0,
          series: [
            { name: 'cpu', tags: { hostname: 'host_0' }, columns: ['time', 'mean_a', 'mean_b'], values: [[0, 1, 2], [300, null, 3]] },
            { name: 'cpu', tags: { hostname: 'host_1' }, columns: ['time', 'mean_a', 'mean_b'], values: [[0, 4, 5]] },
          ],
        },
      ],
    });
    expect(summarizeInfluxqlJson(json)).toEqual({ values: 5, sum: 15, hosts: 2 });
    expect(() => summarizeInfluxqlJson('{"results":[{"statement_id":0,"error":"database not found: x"}]}')).toThrow('database not found');
  });

  it('Prometheus JSON: matrix and vector samples; errors thrown', () => {
    const matrix = JSON.stringify({
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric: { hostname: 'h1' }, values: [[1, '1.5'], [2, '2.5']] }, { metric: { hostname: 'h2' }, values: [[1, '3']] }] },
    });
    expect(summarizePromJson(matrix)).toEqual({ values: 3, sum: 7, hosts: 2 });
    const vector = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '8640000'] }] } });
    expect(summarizePromJson(vector)).toEqual({ values: 1, sum: 8640000, hosts: 0 });
    expect(() => summarizePromJson('{"status":"error","error":"bad query"}')).toThrow('bad query');
  });
});

describe('compareAnswer', () => {
  const want = { values: 10, sum: 1000, hosts: 2 };
  const cases: Array<{ name: string; q: 'a' | 'e'; got: typeof want; problems: number }> = [
    { name: 'identical', q: 'a', got: want, problems: 0 },
    { name: 'sum within rounding', q: 'a', got: { ...want, sum: 1000 + 1e-10 }, problems: 0 },
    { name: 'sum off', q: 'a', got: { ...want, sum: 1000.5 }, problems: 1 },
    { name: 'missing rows and hosts', q: 'a', got: { values: 9, sum: 1000, hosts: 1 }, problems: 2 },
    { name: '(e) ignores the number of cells', q: 'e', got: { values: 3, sum: 1000, hosts: 0 }, problems: 0 },
    { name: 'NaN sum is a problem', q: 'a', got: { ...want, sum: NaN }, problems: 1 },
  ];
  it.each(cases)('$name', ({ q, got, problems }) => {
    expect(compareAnswer(q, got, want)).toHaveLength(problems);
  });
});
