#!/usr/bin/env node
// Enforces the module dependency direction of docs/architecture.md: a module under src/ may import
// only the modules listed for it. Run by `npm test` (and so by CI).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const ALLOWED = {
  core: [],
  lineprotocol: ['core'],
  storage: ['core', 'lineprotocol'],
  meta: ['core'],
  flux: ['core'],
  client: ['core'],
  query: ['core', 'lineprotocol', 'storage', 'meta', 'flux'],
  tasks: ['core', 'meta', 'flux'],
  http: ['core', 'lineprotocol', 'storage', 'meta', 'flux', 'query', 'tasks'],
  server: ['core', 'lineprotocol', 'storage', 'meta', 'flux', 'query', 'tasks', 'http'],
  cli: ['core', 'client', 'flux', 'lineprotocol', 'server'],
};

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

const moduleOf = (file) => relative(src, file).split(sep)[0];
const problems = [];
for (const file of walk(src)) {
  const from = moduleOf(file);
  const allowed = ALLOWED[from];
  if (allowed === undefined) {
    problems.push(`${relative(root, file)}: module "${from}" is not in the dependency table`);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(src + sep)) continue;
    const to = moduleOf(target);
    if (to === from || to.endsWith('.ts') || to.endsWith('.js')) continue;
    if (!allowed.includes(to)) {
      problems.push(`${relative(root, file)}: ${from} may not import ${to} (${spec})`);
    }
  }
}
if (problems.length > 0) {
  console.error(`dependency direction violated:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('dependency direction ok');
