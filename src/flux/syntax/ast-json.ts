import type { Node, SourceLocation } from './ast.js';

export interface AstJsonOptions {
  /** Keep locations (as `"L:C-L:C"` strings); false drops them, for shape-only comparisons. */
  readonly locations: boolean;
}

/**
 * A JSON-ready view of a tree: bigints become `"123n"` strings and locations compact strings,
 * so golden files stay readable and diffs small.
 */
export function astToJson(node: Node, options: AstJsonOptions = { locations: true }): unknown {
  return convert(node, options);
}

function formatLoc(loc: SourceLocation): string {
  return `${loc.start.line}:${loc.start.column}-${loc.end.line}:${loc.end.column}`;
}

function convert(value: unknown, options: AstJsonOptions): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return value.map((v) => convert(v, options));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'loc') {
      if (options.locations) out[k] = formatLoc(v as SourceLocation);
    } else {
      out[k] = convert(v, options);
    }
  }
  return out;
}
