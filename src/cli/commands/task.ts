import { readFile } from 'node:fs/promises';
import type { LogEvent, Run, Task } from '../../client/api-types.js';
import { invalid } from '../../core/errors.js';
import { runCommand, type CommandGroup, type CommandIo } from './common/command-spec.js';
import { readStdin } from './query.js';

/**
 * `sluice task`: tasks, runs and logs with `influx task`'s commands and flag names, plus
 * `run start` (force a run, optionally for a given scheduledFor) and `next` (upcoming runs).
 */
const TASK_HEADERS = ['ID', 'Name', 'Organization ID', 'Organization', 'Status', 'Every', 'Cron'];
const taskRow = (t: Task): string[] => [t.id, t.name, t.orgID, t.org ?? '', t.status, t.every ?? '', t.cron ?? ''];
const RUN_HEADERS = ['ID', 'TaskID', 'Status', 'ScheduledFor', 'StartedAt', 'FinishedAt', 'RequestedAt'];
const runRow = (r: Run): string[] => [r.id, r.taskID, r.status, r.scheduledFor, r.startedAt ?? '', r.finishedAt ?? '', r.requestedAt ?? ''];
const LOG_HEADERS = ['RunID', 'Time', 'Message'];
const logRow = (e: LogEvent): string[] => [e.runID ?? '', e.time, e.message];

const ID = { type: 'string', short: 'i', help: 'task ID' } as const;
const TASK_ID = { type: 'string', help: 'task ID' } as const;
const FILE = { type: 'string', short: 'f', help: 'file holding the Flux script' } as const;
const AFTER = { type: 'string', help: 'only runs scheduled after this time (RFC3339)' } as const;
const BEFORE = { type: 'string', help: 'only runs scheduled before this time (RFC3339)' } as const;

/** Flux from `-f FILE`, `-` (stdin) or the positional argument; undefined when none is given. */
async function fluxOf(io: CommandIo): Promise<string | undefined> {
  const file = io.str('file');
  if (file !== undefined) return readFile(file, 'utf8');
  const [arg] = io.args;
  if (arg === '-') return readStdin();
  return arg;
}

function limitOf(io: CommandIo, flag: string, fallback: number): number {
  const raw = io.str(flag);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalid(`--${flag} must be a positive integer`);
  return n;
}

const runGroup: CommandGroup = {
  summary: 'list, start and retry runs of a task',
  aliases: { ls: 'list', find: 'list' },
  subcommands: {
    list: {
      summary: 'list runs of a task (or one with --run-id)',
      usage: 'sluice task run list --task-id ID [--run-id ID] [--after T] [--before T] [--limit N]',
      examples: ['sluice task run list --task-id 0123456789abcdef', 'sluice task run list --task-id 0123456789abcdef --after 2024-01-01T00:00:00Z --limit 10 --json'],
      flags: { 'task-id': TASK_ID, 'run-id': { type: 'string', help: 'run ID' }, after: AFTER, before: BEFORE, limit: { type: 'string', help: 'most runs to list (default 100)' } },
      async run(io) {
        const client = io.client();
        const taskID = io.need('task-id');
        const runID = io.str('run-id');
        const runs = runID !== undefined ? [await client.getRun(taskID, runID)] : await client.listRuns(taskID, { after: io.str('after'), before: io.str('before'), limit: limitOf(io, 'limit', 100) });
        io.print(runs, RUN_HEADERS, runRow);
      },
    },
    retry: {
      summary: 'retry a run (queues a new run for the same scheduledFor)',
      usage: 'sluice task run retry -i TASK_ID -r RUN_ID',
      examples: ['sluice task run retry -i 0123456789abcdef -r 0fedcba987654321'],
      flags: { 'task-id': { type: 'string', short: 'i', help: 'task ID' }, 'run-id': { type: 'string', short: 'r', help: 'run ID' } },
      async run(io) {
        const taskID = io.need('task-id');
        const runID = io.need('run-id');
        const run = await io.client().retryRun(taskID, runID);
        if (io.json) io.print(run, RUN_HEADERS, runRow);
        else io.out(`Retry for task ${taskID}'s run ${runID} queued as run ${run.id}.\n`);
      },
    },
    start: {
      summary: 'run a task now (or for a given scheduledFor) — beyond influx',
      usage: 'sluice task run start --task-id ID [--scheduled-for RFC3339]',
      examples: ['sluice task run start --task-id 0123456789abcdef', 'sluice task run start --task-id 0123456789abcdef --scheduled-for 2024-01-01T00:00:00Z'],
      flags: { 'task-id': TASK_ID, 'scheduled-for': { type: 'string', help: 'the run\'s scheduledFor (RFC3339; default now)' } },
      async run(io) {
        io.print(await io.client().startRun(io.need('task-id'), io.str('scheduled-for')), RUN_HEADERS, runRow);
      },
    },
  },
};

const logGroup: CommandGroup = {
  summary: 'task and run logs',
  aliases: { ls: 'list', find: 'list' },
  subcommands: {
    list: {
      summary: 'list log lines of a task (or one run)',
      usage: 'sluice task log list --task-id ID [--run-id ID]',
      examples: ['sluice task log list --task-id 0123456789abcdef', 'sluice task log list --task-id 0123456789abcdef --run-id 0fedcba987654321'],
      flags: { 'task-id': TASK_ID, 'run-id': { type: 'string', help: 'run ID' } },
      async run(io) {
        const runID = io.str('run-id');
        const events = await io.client().listLogs(io.need('task-id'), runID);
        io.print(
          events.map((e) => (e.runID === undefined && runID !== undefined ? { ...e, runID } : e)),
          LOG_HEADERS,
          logRow,
        );
      },
    },
  },
};

export const taskGroup: CommandGroup = {
  summary: 'manage tasks, their runs and logs',
  aliases: { ls: 'list', find: 'list', rtf: 'retry-failed' },
  subcommands: {
    create: {
      summary: 'create a task from Flux with an `option task` (argument, -f FILE or -)',
      usage: "sluice task create [-f FILE | - | 'FLUX'] [-o ORG]",
      examples: ['sluice task create -f downsample.flux', 'cat downsample.flux | sluice task create -'],
      flags: { file: FILE },
      async run(io) {
        const flux = await fluxOf(io);
        if (flux === undefined || flux.trim() === '') throw invalid('no Flux given: use -f FILE, - for stdin, or an argument');
        io.print(await io.client().createTask({ ...io.orgRef(), flux }), TASK_HEADERS, taskRow);
      },
    },
    list: {
      summary: 'list tasks (or one with -i)',
      usage: 'sluice task list [-i ID] [--user-id ID] [--limit N] [-o ORG]',
      examples: ['sluice task list', 'sluice task find -i 0123456789abcdef --json'],
      flags: { id: ID, 'user-id': { type: 'string', short: 'n', help: 'only tasks owned by this user' }, limit: { type: 'string', help: 'most tasks to list (default 500)' } },
      async run(io) {
        const client = io.client();
        const id = io.str('id');
        const tasks = id !== undefined ? [await client.getTask(id)] : await client.listTasks({ ...io.orgRef(), user: io.str('user-id'), limit: limitOf(io, 'limit', 500) });
        io.print(tasks, TASK_HEADERS, taskRow);
      },
    },
    update: {
      summary: 'change a task\'s status or Flux',
      usage: 'sluice task update -i ID [--status active|inactive] [-f FILE]',
      examples: ['sluice task update -i 0123456789abcdef --status inactive', 'sluice task update -i 0123456789abcdef -f downsample.flux'],
      flags: { id: ID, status: { type: 'string', help: 'active or inactive' }, file: FILE },
      async run(io) {
        const status = io.str('status');
        if (status !== undefined && status !== 'active' && status !== 'inactive') throw invalid('--status must be active or inactive');
        const flux = io.str('file') === undefined ? undefined : await fluxOf(io);
        if (status === undefined && flux === undefined) throw invalid('nothing to update: give --status or -f');
        io.print(await io.client().updateTask(io.need('id'), { ...(status === undefined ? {} : { status }), ...(flux === undefined ? {} : { flux }) }), TASK_HEADERS, taskRow);
      },
    },
    delete: {
      summary: 'delete a task (its runs and logs too)',
      usage: 'sluice task delete -i ID',
      examples: ['sluice task delete -i 0123456789abcdef'],
      flags: { id: ID },
      async run(io) {
        const client = io.client();
        const task = await client.getTask(io.need('id'));
        await client.deleteTask(task.id);
        io.print(task, TASK_HEADERS, taskRow);
      },
    },
    'retry-failed': {
      summary: 'retry failed runs of one task or all tasks of the org',
      usage: 'sluice task retry-failed [-i ID] [--after T] [--before T] [--dry-run] [--task-limit N] [--run-limit N]',
      examples: ['sluice task retry-failed --after 2024-01-01T00:00:00Z', 'sluice task rtf -i 0123456789abcdef --dry-run'],
      flags: {
        id: ID,
        after: AFTER,
        before: BEFORE,
        'dry-run': { type: 'boolean', help: 'print what would be retried, retry nothing' },
        'task-limit': { type: 'string', help: 'most tasks to look at (default 100)' },
        'run-limit': { type: 'string', help: 'most runs per task to look at (default 100)' },
      },
      async run(io) {
        const client = io.client();
        const id = io.str('id');
        const tasks = id !== undefined ? [await client.getTask(id)] : await client.listTasks({ ...io.orgRef(), limit: limitOf(io, 'task-limit', 100) });
        const retried: { taskID: string; runID: string; newRunID?: string }[] = [];
        for (const t of tasks) {
          const runs = await client.listRuns(t.id, { after: io.str('after'), before: io.str('before'), limit: limitOf(io, 'run-limit', 100) });
          for (const r of runs.filter((x) => x.status === 'failed')) {
            if (io.bool('dry-run')) {
              retried.push({ taskID: t.id, runID: r.id });
              if (!io.json) io.out(`Would retry for task ${t.id}'s run ${r.id}.\n`);
              continue;
            }
            const next = await client.retryRun(t.id, r.id);
            retried.push({ taskID: t.id, runID: r.id, newRunID: next.id });
            if (!io.json) io.out(`Retry for task ${t.id}'s run ${r.id} queued as run ${next.id}.\n`);
          }
        }
        if (io.json) io.out(JSON.stringify(retried, null, 2) + '\n');
      },
    },
    next: {
      summary: 'show when a task runs next — beyond influx',
      usage: 'sluice task next --task-id ID',
      examples: ['sluice task next --task-id 0123456789abcdef'],
      flags: { 'task-id': TASK_ID },
      async run(io) {
        const task = await io.client().getTask(io.need('task-id'));
        const next = task.nextRuns ?? [];
        io.print(next.map((scheduledFor) => ({ taskID: task.id, scheduledFor })), ['TaskID', 'ScheduledFor'], (n) => [n.taskID, n.scheduledFor]);
      },
    },
    run: runGroup,
    log: logGroup,
  },
};

export const taskCommand = (argv: readonly string[]): Promise<number> => runCommand('sluice task', taskGroup, argv);
