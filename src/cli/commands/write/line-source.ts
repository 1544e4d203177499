import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Where `sluice write` reads from: a file path, `-` for stdin, or inline text. */
export type Source = { kind: 'file'; path: string } | { kind: 'stdin' } | { kind: 'inline'; text: string };

export interface SourceLine {
  text: string;
  /** 1-based line number within its source, for error reports. */
  lineNo: number;
  source: string;
}

/**
 * The lines of a source, streamed (files are never read whole). Input is gunzipped when `gzip`
 * is set or the file name ends in `.gz`.
 */
export async function* readLines(source: Source, gzip: boolean): AsyncGenerator<SourceLine> {
  let stream: Readable;
  let name: string;
  if (source.kind === 'inline') {
    name = 'argument';
    stream = Readable.from([source.text]);
  } else if (source.kind === 'stdin') {
    name = 'stdin';
    stream = process.stdin;
  } else {
    name = source.path;
    stream = createReadStream(source.path);
  }
  if (gzip || (source.kind === 'file' && source.path.endsWith('.gz'))) stream = stream.pipe(createGunzip());
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const text of rl) yield { text, lineNo: ++lineNo, source: name };
}
