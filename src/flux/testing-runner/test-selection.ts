/**
 * Which testcases run, as Flux's `flux test` decides it: a tagged testcase runs only when every one
 * of its tags is enabled (so by default tagged tests are skipped); `run` selects by regular
 * expression on the full name; a skip list names testcases by full name (`pkg.case`) or bare name.
 */
export interface TestSelection {
  /** Only testcases whose full name (`universe.difference`) matches run. */
  readonly run?: RegExp;
  /** Skipped testcases: full or bare name → reason (may be empty). */
  readonly skip?: ReadonlyMap<string, string>;
  /** Tags enabled with `--tags`. */
  readonly tags?: readonly string[];
}

export type Selected = { readonly run: true } | { readonly run: false; readonly skip: boolean; readonly reason: string };

/**
 * Decides one testcase. `run: false, skip: false` means "not selected" (filtered out by `run`;
 * reported nowhere), `skip: true` means reported as SKIP with the reason.
 */
export function selectTestCase(fullName: string, bareName: string, tags: readonly string[], sel: TestSelection): Selected {
  if (sel.run !== undefined && !sel.run.test(fullName)) return { run: false, skip: false, reason: '' };
  const listed = sel.skip?.get(fullName) ?? sel.skip?.get(bareName);
  if (listed !== undefined) return { run: false, skip: true, reason: listed === '' ? 'in skip list' : listed };
  const enabled = sel.tags ?? [];
  const missing = tags.filter((t) => !enabled.includes(t));
  if (missing.length > 0) return { run: false, skip: true, reason: `tagged ${missing.join(', ')}` };
  return { run: true };
}

/**
 * Parses a skip list: one testcase per line, `name` or `pkg.name`, optionally followed by
 * whitespace and a reason; `#` starts a comment; blank lines are ignored.
 */
export function parseSkipList(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    out.set(m[1]!, m[2]!.trim());
  }
  return out;
}
