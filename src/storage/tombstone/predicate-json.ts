import { invalid } from '../../core/errors.js';
import type { Predicate } from '../storage.js';

/**
 * JSON form of a Predicate for durable storage (WAL delete records, tombstone files). RegExp is
 * kept as `{source, flags}`; everything else is the Predicate's own shape.
 */
type PredicateJson =
  | { kind: 'compare'; key: string; op: '==' | '!='; value: string }
  | { kind: 'regex'; key: string; op: '=~' | '!~'; source: string; flags: string }
  | { kind: 'and' | 'or'; left: PredicateJson; right: PredicateJson }
  | { kind: 'not'; operand: PredicateJson }
  | { kind: 'true' };

function toJson(p: Predicate): PredicateJson {
  switch (p.kind) {
    case 'compare':
      return { kind: 'compare', key: p.key, op: p.op, value: p.value };
    case 'regex':
      return { kind: 'regex', key: p.key, op: p.op, source: p.pattern.source, flags: p.pattern.flags };
    case 'and':
    case 'or':
      return { kind: p.kind, left: toJson(p.left), right: toJson(p.right) };
    case 'not':
      return { kind: 'not', operand: toJson(p.operand) };
    case 'true':
      return { kind: 'true' };
  }
}

function fromJson(j: PredicateJson): Predicate {
  switch (j.kind) {
    case 'compare':
      return { kind: 'compare', key: j.key, op: j.op, value: j.value };
    case 'regex':
      return { kind: 'regex', key: j.key, op: j.op, pattern: new RegExp(j.source, j.flags) };
    case 'and':
    case 'or':
      return { kind: j.kind, left: fromJson(j.left), right: fromJson(j.right) };
    case 'not':
      return { kind: 'not', operand: fromJson(j.operand) };
    case 'true':
      return { kind: 'true' };
    default:
      throw invalid(`unknown predicate kind in stored predicate`);
  }
}

export function predicateToJson(p: Predicate | undefined): string {
  return p === undefined ? '' : JSON.stringify(toJson(p));
}

export function predicateFromJson(s: string): Predicate | undefined {
  return s === '' ? undefined : fromJson(JSON.parse(s) as PredicateJson);
}
