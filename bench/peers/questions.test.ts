import { describe, expect, it } from 'vitest';
import { fluxQuery, influxqlQuery, metricsqlQuery, rfc3339, type Scenario } from './questions.js';

const s: Scenario = { startNs: 1767225600000000000n, hours: 24, hosts: 100 };

describe('questions', () => {
  it.each([
    [1767225600000000000n, '2026-01-01T00:00:00Z'],
    [1767225600123000000n, '2026-01-01T00:00:00.123Z'],
    [1767225600000000500n, '2026-01-01T00:00:00.000000500Z'],
  ])('rfc3339(%s) = %s', (ns, want) => {
    expect(rfc3339(ns)).toBe(want);
  });

  it('asks the issue questions over T0..T1 (d: the first 12 h)', () => {
    expect(fluxQuery('a', s)).toContain('range(start: 2026-01-01T00:00:00Z, stop: 2026-01-02T00:00:00Z)');
    expect(fluxQuery('d', s)).toContain('stop: 2026-01-01T12:00:00Z');
    expect(fluxQuery('f', s)).toMatch(/aggregateWindow\(every: 5m, fn: mean, createEmpty: false\) \|> to\(bucket: "bench_5m"\)$/);
    expect(influxqlQuery('d', s)).toBe(
      `SELECT usage_user FROM cpu WHERE usage_user > 90 AND time >= '2026-01-01T00:00:00Z' AND time < '2026-01-01T12:00:00Z' GROUP BY *`,
    );
  });

  it('evaluates MetricsQL 1 ms before Flux stops, so (t − w, t] holds the samples of [start, stop)', () => {
    expect(metricsqlQuery('a', s)!.params).toEqual({
      query: 'avg_over_time(cpu_usage_user[5m])',
      start: '1767225899.999',
      end: '1767311999.999',
      step: '5m',
    });
    expect(metricsqlQuery('e', s)!.params['time']).toBe('1767311999.999');
    expect(metricsqlQuery('f', s)).toBeUndefined();
  });
});
