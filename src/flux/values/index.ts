// The Flux value model: every runtime value, its type, order, equality and printed forms.
export * from './mono-type.js';
export * from './value.js';
export * from './compare-values.js';
export * from './dict-value.js';
export * from './format-float.js';
export * from './format-value.js';
