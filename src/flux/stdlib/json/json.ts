import type { PackageDef } from '../../interpreter/index.js';
import { bytesValue } from '../../values/value.js';
import { encodeJson } from './json-encode.js';

/** `json`: `encode(v:)` returns the JSON text of a value as bytes. */
export const jsonPackage: PackageDef = {
  path: 'json',
  builtins: {
    encode: {
      signature: '(v: A) => bytes',
      call: (args) => bytesValue(new TextEncoder().encode(encodeJson(args.value('v')))),
    },
  },
};
