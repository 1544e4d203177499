/**
 * Tables as `influx` prints them: columns left-aligned and separated by tabs padded to the
 * widest cell (tabwriter style), with an optional header row. Widths count code points.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], hideHeaders = false): string {
  const all = (hideHeaders ? rows : [headers, ...rows]).map((r) => r.map((cell) => cell ?? ''));
  if (all.length === 0) return '';
  const widths = headers.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? '')].length)));
  return (
    all
      .map((r) =>
        r
          .map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c]! - [...cell].length)))
          .join('\t')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
