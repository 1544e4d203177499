// Annotated CSV: Flux's result wire format (encoder) and csv.from / test input (decoder).
export * from './csv-dialect.js';
export * from './csv-row-writer.js';
export * from './csv-record-reader.js';
export * from './format-cell.js';
export * from './parse-cell.js';
export * from './result-encoder.js';
export * from './result-decoder.js';
