export * from './point.js';
export { LineParser, parseLines, type LineParserOptions, type ParseOptions } from './line-parser.js';
export { LineProtocolError, type RejectedLine } from './line-protocol-error.js';
export { parsePrecision, INVALID_PRECISION_MESSAGE } from './precision.js';
export { formatPoint, formatPoints } from './format-point.js';
export { compareUtf8, makeSeries, seriesKey } from './make-series.js';
export { escapeFieldKey, escapeMeasurement, escapeStringValue, escapeTag } from './escape.js';
export { MAX_KEY_BYTES } from './exact-line-parser.js';
