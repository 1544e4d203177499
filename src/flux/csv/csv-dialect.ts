import { invalid } from '../../core/errors.js';

export type CsvAnnotation = 'datatype' | 'group' | 'default';

/**
 * How annotated CSV is written: the `dialect` of a `/api/v2/query` request. Reading ignores it
 * (the decoder understands every form the encoder writes).
 */
export interface CsvDialect {
  /** Write the header row (`,result,table,...`). */
  readonly header: boolean;
  /** One character; `,` by default. Must not be `"`, `\r` or `\n`. */
  readonly delimiter: string;
  /** Annotation rows to write, in this order. Empty: no annotation rows (the column stays). */
  readonly annotations: readonly CsvAnnotation[];
}

/** What InfluxDB's clients ask for, and Flux's default encoder config. */
export const ANNOTATED_DIALECT: CsvDialect = Object.freeze({
  header: true,
  delimiter: ',',
  annotations: Object.freeze(['datatype', 'group', 'default'] as CsvAnnotation[]),
});

/** The default of a `/api/v2/query` request: a header and no annotations. */
export const PLAIN_DIALECT: CsvDialect = Object.freeze({ header: true, delimiter: ',', annotations: [] });

/**
 * Validates a request's `dialect` JSON (reference §3.1): `header` (default true), `delimiter`
 * (exactly one character, default `,`), `annotations` ⊆ {datatype, group, default} (default
 * none), `commentPrefix` (at most one character, otherwise ignored), `dateTimeFormat` (`RFC3339`
 * or `RFC3339Nano`, otherwise ignored: output is always RFC3339Nano-style). Unknown keys are
 * ignored. Throws `invalid` with InfluxDB's messages (its spelling "delimeter" included); the HTTP
 * layer adds its own prefix.
 */
export function dialectFromJson(json: unknown): CsvDialect {
  if (json === undefined || json === null) return PLAIN_DIALECT;
  if (typeof json !== 'object' || Array.isArray(json)) throw invalid('invalid dialect: expected an object');
  const d = json as Record<string, unknown>;
  const header = d['header'] === undefined ? true : d['header'];
  if (typeof header !== 'boolean') throw invalid('invalid dialect: header must be a boolean');
  const delimiter = d['delimiter'] === undefined || d['delimiter'] === '' ? ',' : d['delimiter'];
  // InfluxDB measures these in UTF-8 bytes, so a delimiter must be one ASCII character.
  if (typeof delimiter !== 'string' || Buffer.byteLength(delimiter, 'utf8') !== 1) {
    throw invalid('invalid dialect delimeter: must be length 1');
  }
  if (delimiter === '"' || delimiter === '\r' || delimiter === '\n') throw invalid('invalid dialect delimeter character');
  const raw = d['annotations'] ?? [];
  if (!Array.isArray(raw)) throw invalid('invalid dialect: annotations must be a list');
  const annotations: CsvAnnotation[] = [];
  for (const a of raw) {
    if (a !== 'datatype' && a !== 'group' && a !== 'default') throw invalid(`unknown dialect annotation type: ${String(a)}`);
    annotations.push(a);
  }
  const prefix = d['commentPrefix'] ?? '';
  if (typeof prefix !== 'string' || Buffer.byteLength(prefix, 'utf8') > 1) {
    throw invalid('invalid dialect comment prefix: must be length 0 or 1');
  }
  const fmt = d['dateTimeFormat'] === undefined || d['dateTimeFormat'] === '' ? 'RFC3339' : d['dateTimeFormat'];
  if (fmt !== 'RFC3339' && fmt !== 'RFC3339Nano') throw invalid(`unknown dialect date time format: ${String(fmt)}`);
  return { header, delimiter, annotations };
}
