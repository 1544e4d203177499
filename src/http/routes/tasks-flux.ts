import { formatDuration, isZeroDuration, parseDuration } from '../../core/duration.js';
import { invalid } from '../../core/errors.js';
import {
  formatDiagnostics,
  makeNode,
  parse,
  parseExpression,
  print,
  type Expression,
  type OptionStatement,
  type Property,
  type RecordExpression,
  type Statement,
} from '../../flux/syntax/index.js';
import type { Task } from '../../meta/task-store.js';
import { extractTaskOptions, taskOptionError, validateTaskOptions, type TaskOptions } from '../../tasks/index.js';
import { fluxString } from './scripts-params.js';

/** The schedule fields a task shows (`every`, `cron`, `offset`), from its validated options. */
export function scheduleFields(options: TaskOptions): { every?: string; cron?: string; offset?: string } {
  return {
    ...(options.every === undefined ? {} : { every: formatDuration(options.every) }),
    ...(options.cron === undefined ? {} : { cron: options.cron }),
    ...(isZeroDuration(options.offset) ? {} : { offset: formatDuration(options.offset) }),
  };
}

export interface BodyOptions {
  readonly name?: string;
  readonly every?: string;
  readonly cron?: string;
  readonly offset?: string;
}

function durationOption(key: string, text: string | undefined): ReturnType<typeof parseDuration> | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    return parseDuration(text);
  } catch {
    throw taskOptionError(`failed to parse field '${key}' in task options`);
  }
}

/** Options of a script task, given in the request body rather than in Flux (Cloud). */
export function bodyTaskOptions(body: BodyOptions, nowNs: bigint): TaskOptions {
  const every = durationOption('every', body.every);
  const offset = durationOption('offset', body.offset);
  return validateTaskOptions(
    {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(every === undefined ? {} : { every }),
      ...(body.cron === undefined || body.cron === '' ? {} : { cron: body.cron }),
      ...(offset === undefined ? {} : { offset }),
    },
    nowNs,
  );
}

/** A task's current options: from its Flux, or for a script task from its stored fields. */
export function taskOptionsOf(task: Task, nowNs: bigint): TaskOptions {
  if (task.scriptID !== undefined) {
    return bodyTaskOptions(
      {
        name: task.name,
        ...(task.every === undefined ? {} : { every: task.every }),
        ...(task.cron === undefined ? {} : { cron: task.cron }),
        ...(task.offset === undefined ? {} : { offset: task.offset }),
      },
      nowNs,
    );
  }
  return extractTaskOptions(task.flux, nowNs);
}

/** `option task = {…}` for a script task's run, so `task.every` etc. work as Cloud's injection does. */
export function taskOptionPrelude(task: Task): string {
  const fields = [`name: ${fluxString(task.name)}`];
  if (task.every !== undefined) fields.push(`every: ${task.every}`);
  if (task.cron !== undefined) fields.push(`cron: ${fluxString(task.cron)}`);
  if (task.offset !== undefined) fields.push(`offset: ${task.offset}`);
  return `option task = {${fields.join(', ')}}\n`;
}

const ZERO_OFFSETS = new Set(['', '0s', '0m', '0h', '0']);

/**
 * Writes PATCH option fields into a script's `option task` record, as InfluxDB does: existing
 * keys replaced, `every`↔`cron` swapped in place, missing keys appended, a zero or empty `offset`
 * removed; then the whole script is re-printed. Values must be literals of the right kind.
 */
export function patchFluxOptions(flux: string, patch: BodyOptions): string {
  const { file, diagnostics } = parse(flux);
  if (diagnostics.length > 0) throw taskOptionError(formatDiagnostics(diagnostics));
  const index = file.body.findIndex(
    (s) => s.kind === 'OptionStatement' && s.assignment.kind === 'VariableAssignment' && s.assignment.id.name === 'task',
  );
  if (index < 0) throw taskOptionError('no task options defined');
  const statement = file.body[index] as OptionStatement;
  if (statement.assignment.kind !== 'VariableAssignment' || statement.assignment.init.kind !== 'RecordExpression') {
    throw taskOptionError(`task option expected to be object literal, but found "${statement.assignment.init.kind}"`);
  }
  const record: RecordExpression = statement.assignment.init;
  const loc = record.loc;
  const durationExpr = (key: string, text: string): Expression => {
    const { expression, diagnostics: d } = parseExpression(text);
    if (d.length > 0 || (expression.kind !== 'DurationLiteral' && expression.kind !== 'UnaryExpression')) {
      throw invalid(`failed to decode request: ${key}: invalid duration "${text}"`);
    }
    return expression;
  };
  const prop = (key: string, value: Expression): Property =>
    makeNode('Property', loc, { key: makeNode('Identifier', loc, { name: key }), value });

  const wanted = new Map<string, Expression | null>();
  if (patch.name !== undefined) wanted.set('name', makeNode('StringLiteral', loc, { value: patch.name }));
  if (patch.every !== undefined && patch.every !== '') wanted.set('every', durationExpr('every', patch.every));
  if (patch.cron !== undefined && patch.cron !== '') wanted.set('cron', makeNode('StringLiteral', loc, { value: patch.cron }));
  if (patch.offset !== undefined) {
    wanted.set('offset', ZERO_OFFSETS.has(patch.offset.trim()) ? null : durationExpr('offset', patch.offset));
  }
  const swapTo = wanted.has('every') ? 'every' : wanted.has('cron') ? 'cron' : undefined;

  const properties: Property[] = [];
  const placed = new Set<string>();
  for (const p of record.properties) {
    const key = p.key.kind === 'Identifier' ? p.key.name : p.key.value;
    let target = key;
    if (swapTo !== undefined && (key === 'every' || key === 'cron')) target = swapTo;
    if (!wanted.has(target)) {
      properties.push(p);
      continue;
    }
    if (placed.has(target)) continue;
    placed.add(target);
    const value = wanted.get(target)!;
    if (value !== null) properties.push(prop(target, value));
  }
  for (const [key, value] of wanted) if (!placed.has(key) && value !== null) properties.push(prop(key, value));

  const newRecord = makeNode('RecordExpression', loc, { with: record.with, properties });
  const assignment = makeNode('VariableAssignment', statement.assignment.loc, {
    attributes: statement.assignment.attributes,
    id: statement.assignment.id,
    init: newRecord,
  });
  const newStatement = makeNode('OptionStatement', statement.loc, { attributes: statement.attributes, assignment });
  const body: Statement[] = [...file.body];
  body[index] = newStatement;
  return print(makeNode('File', file.loc, { name: file.name, package: file.package, imports: file.imports, body }));
}
