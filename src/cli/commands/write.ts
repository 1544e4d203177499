import { access, open, type FileHandle } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { V2Client } from '../../client/v2-client.js';
import { ErrorCode, invalid, isSluiceError } from '../../core/errors.js';
import { parsePrecision } from '../../lineprotocol/index.js';
import { parseLineExact } from '../../lineprotocol/exact-line-parser.js';
import { runCommand, type CommandIo, type CommandSpec } from './common/command-spec.js';
import { CsvToLineProtocol } from './write/csv-to-line-protocol.js';
import { readLines, type Source, type SourceLine } from './write/line-source.js';
import { parseRateLimit } from './write/rate-limit.js';
import { WriteThrottle } from './write/write-throttle.js';
import { WriteProgress } from './write/write-progress.js';

const PRECISION_NS = { ns: 1n, us: 1_000n, ms: 1_000_000n, s: 1_000_000_000n } as const;
const DEFAULT_BATCH_LINES = 5000;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * `sluice write`: line protocol or CSV from files, stdin or an argument, checked line by line
 * before sending (a rejected line goes to `--errors-file` with its reason, the rest is written),
 * sent in batches. Exit status 1 when any line was rejected, by us or by the server.
 */
export const writeSpec: CommandSpec = {
  summary: 'write line protocol or CSV to a bucket',
  usage: 'sluice write -b BUCKET [-f FILE]... [--format lp|csv] [--header LINE]... [-p ns|us|ms|s] [--errors-file PATH] [--rate-limit RATE] [DATA | -]',
  examples: [
    "sluice write -b telemetry 'cpu,host=a usage=0.5 1700000000000000000'",
    'sluice write -b telemetry -f metrics.lp.gz --progress',
    'cat data.lp | sluice write -b telemetry -p s -',
    'sluice write -b telemetry -f data.csv --header "#datatype measurement,tag,double,dateTime:RFC3339"',
    'sluice write -b telemetry -f big.lp --errors-file rejected.lp',
    'sluice write -b telemetry -f data.csv --dry-run',
    'sluice write -b telemetry -f big.lp --rate-limit "5 MB / 5 min"',
  ],
  flags: {
    bucket: { type: 'string', short: 'b', help: 'bucket name' },
    'bucket-id': { type: 'string', help: 'bucket ID (instead of --bucket)' },
    file: { type: 'string', short: 'f', multiple: true, help: 'file to read (.gz is gunzipped)' },
    format: { type: 'string', help: 'input format: lp (default) or csv (default for .csv files)' },
    header: { type: 'string', multiple: true, help: 'CSV line to prepend to every CSV input (e.g. a #datatype annotation)' },
    precision: { type: 'string', short: 'p', help: 'timestamp precision of line protocol: ns (default), us, ms, s' },
    compression: { type: 'string', help: 'input compression: none (default) or gzip' },
    gzip: { type: 'boolean', help: 'gzip request bodies' },
    'batch-size': { type: 'string', help: `lines per request (default ${DEFAULT_BATCH_LINES})` },
    'errors-file': { type: 'string', help: 'write rejected lines here, each after a comment with its reason' },
    progress: { type: 'boolean', help: 'draw the progress line even when stderr is not a terminal' },
    'dry-run': { type: 'boolean', help: 'print the line protocol that would be written (as `influx write dryrun`), send nothing' },
    'rate-limit': { type: 'string', help: 'throttles write, examples: "5 MB / 5 min", "17kBs", "1MB/s" (COUNT B|kB|MB, / and TIME optional, TIME s|sec|m|min)' },
  },
  async run(io) {
    const bytesPerSecond = parseRateLimit(io.str('rate-limit') ?? '');
    const precision = parsePrecision(io.str('precision'));
    const client = io.client();
    const dryRun = io.bool('dry-run');
    const target = dryRun ? { bucket: io.str('bucket') ?? '' } : await writeTarget(io, client);
    const sources = await sourcesOf(io);
    const csvDefault = io.str('format') === 'csv' || (io.str('format') === undefined && io.list('header').length > 0);
    if (io.str('format') !== undefined && !['lp', 'csv'].includes(io.str('format')!)) throw invalid(`unsupported format "${io.str('format')}": use lp or csv`);
    const batchLines = Number(io.str('batch-size') ?? DEFAULT_BATCH_LINES);
    if (!Number.isInteger(batchLines) || batchLines < 1) throw invalid('--batch-size must be a positive integer');
    const gzipInput = (io.str('compression') ?? 'none') === 'gzip';
    const errorsPath = io.str('errors-file');
    const errors = errorsPath === undefined ? undefined : await open(errorsPath, 'w');
    const progress = io.bool('progress') || process.stderr.isTTY === true ? new WriteProgress((t) => io.err(t)) : undefined;
    const send: SendBatch = dryRun
      ? (_precision, body) => {
          io.out(body);
          return Promise.resolve();
        }
      : (precision, body) => client.write({ ...target, precision }, io.bool('gzip') ? gzipSync(body) : body, io.bool('gzip'));
    // Paced batches hold at most one second of the rate, so requests go out steadily (influx's
    // throttled reader feeds a batcher that flushes every second) instead of one long wait per 4 MiB.
    const throttle = bytesPerSecond > 0 && !dryRun ? new WriteThrottle(bytesPerSecond, io.clock) : undefined;
    const maxBatchBytes = throttle === undefined ? MAX_BATCH_BYTES : Math.min(MAX_BATCH_BYTES, Math.ceil(bytesPerSecond));
    const writer = new BatchWriter(send, batchLines, maxBatchBytes, throttle, errors, progress);
    try {
      for (const source of sources) {
        const csv = csvDefault || (source.kind === 'file' && /\.csv(\.gz)?$/.test(source.path) && io.str('format') !== 'lp');
        // CSV timestamps are converted to nanoseconds; line protocol keeps the given precision.
        await writer.setPrecision(csv ? 'ns' : precision);
        const converter = csv ? new CsvToLineProtocol(PRECISION_NS[precision]) : undefined;
        if (converter !== undefined) for (const h of io.list('header')) converter.convert(h);
        for await (const line of readLines(source, gzipInput)) {
          if (converter === undefined) await writer.addLineProtocol(line, PRECISION_NS[precision]);
          else await writer.addCsv(line, converter);
        }
      }
      await writer.flush();
    } finally {
      progress?.done();
      await errors?.close();
    }
    if (writer.rejected > 0) {
      io.err(`Error: ${writer.rejected} line(s) rejected${errorsPath === undefined ? ' (use --errors-file to keep them)' : `, written to ${errorsPath}`}\n`);
      return 1;
    }
    return 0;
  },
};

interface WriteTarget {
  bucket: string;
  org?: string;
  orgID?: string;
}

async function writeTarget(io: CommandIo, client: V2Client): Promise<WriteTarget> {
  const id = io.str('bucket-id');
  if (id !== undefined) {
    const [b] = await client.listBuckets({ id });
    return { bucket: b!.name, orgID: b!.orgID };
  }
  const bucket = io.str('bucket');
  if (bucket === undefined) throw invalid('must specify --bucket or --bucket-id');
  const ref = io.orgRef();
  if (ref.org === undefined && ref.orgID === undefined) throw invalid('must specify --org or --org-id (or an org in the active config)');
  return { bucket, ...ref };
}

async function sourcesOf(io: CommandIo): Promise<Source[]> {
  const sources: Source[] = [];
  for (const path of io.list('file')) {
    try {
      await access(path);
    } catch {
      throw invalid(`failed to open "${path}": no such file or not readable`);
    }
    sources.push({ kind: 'file', path });
  }
  for (const a of io.args) sources.push(a === '-' ? { kind: 'stdin' } : { kind: 'inline', text: a });
  if (sources.length === 0) {
    if (process.stdin.isTTY === true) throw invalid('no data: give a file (-f), inline data, or - for stdin');
    sources.push({ kind: 'stdin' });
  }
  return sources;
}

/** Sends one batch of line protocol (newline-terminated) with the given precision. */
type SendBatch = (precision: string, body: string) => Promise<void>;

/**
 * Collects accepted lines into batches and sends them in order. A batch the server refuses as
 * bad data (invalid / unprocessable) counts all its lines rejected and goes to the errors file;
 * any other failure (auth, missing bucket, server down) stops the whole write.
 */
class BatchWriter {
  private lines: string[] = [];
  private origins: SourceLine[] = [];
  private sizeBytes = 0;
  private precision = 'ns';
  rejected = 0;

  constructor(
    private readonly send: SendBatch,
    private readonly batchLines: number,
    private readonly maxBatchBytes: number,
    /** Paces the uncompressed line protocol bytes of each batch before it is sent (`--rate-limit`). */
    private readonly throttle: WriteThrottle | undefined,
    private readonly errors: FileHandle | undefined,
    private readonly progress: WriteProgress | undefined,
  ) {}

  async setPrecision(precision: string): Promise<void> {
    if (precision === this.precision) return;
    await this.flush();
    this.precision = precision;
  }

  async addLineProtocol(line: SourceLine, precisionNs: bigint): Promise<void> {
    const t = line.text.trim();
    if (t === '' || t.startsWith('#')) return;
    const parsed = parseLineExact(t, precisionNs);
    if (typeof parsed === 'string') return this.reject(line, line.text, parsed);
    await this.push(line, line.text);
  }

  async addCsv(line: SourceLine, converter: CsvToLineProtocol): Promise<void> {
    let lp: string | null;
    try {
      lp = converter.convert(line.text);
    } catch (e) {
      if (!isSluiceError(e)) throw e;
      return this.reject(line, line.text, e.message);
    }
    if (lp !== null) await this.push(line, lp);
  }

  private async push(origin: SourceLine, lp: string): Promise<void> {
    this.lines.push(lp);
    this.origins.push(origin);
    this.sizeBytes += Buffer.byteLength(lp) + 1;
    if (this.lines.length >= this.batchLines || this.sizeBytes >= this.maxBatchBytes) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const body = this.lines.join('\n') + '\n';
    const { lines, origins, sizeBytes } = this;
    this.lines = [];
    this.origins = [];
    this.sizeBytes = 0;
    await this.throttle?.acquire(sizeBytes);
    try {
      await this.send(this.precision, body);
      this.progress?.add(lines.length, sizeBytes);
    } catch (e) {
      if (!isSluiceError(e) || (e.code !== ErrorCode.Invalid && e.code !== ErrorCode.UnprocessableEntity)) throw e;
      const dropped = /partial write: .* dropped=(\d+)$/.exec(e.message);
      if (dropped === null) {
        // The server parses a batch whole: nothing of it was written.
        for (let i = 0; i < lines.length; i++) await this.reject(origins[i]!, lines[i]!, `batch rejected by the server: ${e.message}`);
        return;
      }
      // Some points were stored, some dropped (e.g. field type conflicts), and the server does not
      // say which: count the dropped ones and keep the whole batch, which is safe to re-send
      // (a point written twice is overwritten with itself).
      const n = Math.min(Number(dropped[1]), lines.length);
      this.rejected += n;
      this.progress?.add(lines.length - n, sizeBytes, n);
      const first = origins[0]!;
      const last = origins[origins.length - 1]!;
      await this.errors?.write(`# ${first.source}:${first.lineNo}-${last.lineNo}: ${n} of ${lines.length} points dropped by the server (batch kept whole): ${e.message}\n${lines.join('\n')}\n`);
    }
  }

  private async reject(origin: SourceLine, text: string, reason: string): Promise<void> {
    this.rejected++;
    this.progress?.add(0, 0, 1);
    await this.errors?.write(`# ${origin.source}:${origin.lineNo}: ${reason.replace(/\n/g, ' ')}\n${text}\n`);
  }
}

export const writeCommand = (argv: readonly string[]): Promise<number> => runCommand('sluice write', writeSpec, argv);
