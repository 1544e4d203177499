import { formatPoint } from '../../lineprotocol/format-point.js';
import { FieldType, type Point } from '../../lineprotocol/point.js';
import { RemoteCall } from './remote-call.js';
import { DEFAULT_REMOTE_OPTIONS, type RemoteOptions } from './remote-options.js';
import { checkTarget, endpointUrl, orgParams, type RemoteTarget } from './remote-target.js';

/**
 * Writes points to a remote bucket (`to(host:)`, `wideTo(host:)`): line protocol with nanosecond
 * timestamps, `POST {host}/api/v2/write?org=…&bucket=…&precision=ns`, in requests of at most
 * `writeBatchLines` lines. A failed request is thrown in the remote's words (a `RemoteError`);
 * requests before it stay written, as with InfluxDB's writer (there is no transaction across
 * requests). Floats line protocol cannot carry (NaN, ±Inf) are left out, as Flux's writer does;
 * a point left without fields is not written.
 *
 * Contract: `write` sends everything it is given before it resolves (the caller gathers points
 * across tables into large batches, so a failure surfaces before the tables are passed on).
 * Calls must not overlap.
 */
export class RemotePointWriter {
  readonly #target: RemoteTarget;
  readonly #options: RemoteOptions;
  readonly #signal: AbortSignal | undefined;

  constructor(target: RemoteTarget, options: RemoteOptions, signal?: AbortSignal) {
    this.#target = target;
    this.#options = options;
    this.#signal = signal;
  }

  async write(points: readonly Point[]): Promise<void> {
    let lines: string[] = [];
    for (const p of points) {
      const line = lineOf(p);
      if (line === undefined) continue;
      lines.push(line);
      if (lines.length >= this.#options.writeBatchLines) {
        await this.#send(lines);
        lines = [];
      }
    }
    if (lines.length > 0) await this.#send(lines);
  }

  /** Nothing is held between calls: kept so callers can end a write the same way for any sink. */
  async flush(): Promise<void> {}

  async #send(lines: readonly string[]): Promise<void> {
    const t = this.#target;
    const call = new RemoteCall(
      {
        url: endpointUrl(t.host, '/api/v2/write', [...orgParams(t), ['bucket', t.bucketID ?? t.bucket ?? ''], ['precision', 'ns']]),
        token: t.token,
        contentType: 'text/plain; charset=utf-8',
        body: `${lines.join('\n')}\n`,
      },
      this.#options,
      this.#signal,
    );
    try {
      const res = await call.response();
      // Drain the (normally empty) 204 body so the connection can be reused.
      for await (const _ of call.chunks(res)) void _;
    } finally {
      call.close();
    }
  }
}

/** The point as a line, without the floats line protocol cannot carry; undefined if none is left. */
function lineOf(p: Point): string | undefined {
  const { keys, types } = p.fields;
  let bad = false;
  for (let i = 0; i < keys.length; i++) {
    if (types[i] === FieldType.Float && !Number.isFinite(p.values[i] as number)) bad = true;
  }
  if (!bad) return keys.length === 0 ? undefined : formatPoint(p);
  const keep = keys.map((_, i) => i).filter((i) => types[i] !== FieldType.Float || Number.isFinite(p.values[i] as number));
  if (keep.length === 0) return undefined;
  return formatPoint({
    ...p,
    fields: { keys: keep.map((i) => keys[i]!), types: keep.map((i) => types[i]!) },
    values: keep.map((i) => p.values[i]!),
  });
}

/**
 * One call's points to a remote bucket, in batches (the `POINT_SINK` path of
 * `wideTo(host:)` / `experimental.to(host:)`, which has no execution context: default options).
 */
export async function writeRemote(target: RemoteTarget, points: readonly Point[], options: RemoteOptions = DEFAULT_REMOTE_OPTIONS): Promise<void> {
  checkTarget(target);
  const writer = new RemotePointWriter(target, options);
  await writer.write(points);
}
