import { csvFromTables } from '../../csv/result-decoder.js';
import { streamOf } from '../../execute/table-stream.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { streamValue } from '../../values/value.js';
import { HTTP_CLIENT, fetchHttpClient } from '../http/http-client.js';

/**
 * `experimental/csv.from(url:)`: fetches annotated CSV over HTTP (through the HTTP_CLIENT
 * external, so a server can restrict where scripts may reach) and decodes it.
 */
const from: BuiltinSpec = {
  signature: '(url: string) => stream[A]',
  call(args) {
    const url = args.string('url');
    const client = args.ctx.external(HTTP_CLIENT) ?? fetchHttpClient;
    return streamValue(
      args.output(async function* () {
        let text: string;
        try {
          const res = await client.send({
            method: 'GET',
            url,
            headers: new Map(),
            body: new Uint8Array(0),
            timeoutMs: 0,
            insecureSkipVerify: false,
            signal: args.ctx.signal,
          });
          if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`status ${res.statusCode}`);
          text = Buffer.from(res.body).toString('utf8');
        } catch (e) {
          throw new CallError(`error fetching ${url}: ${e instanceof Error ? e.message : String(e)}`);
        }
        try {
          yield* streamOf(csvFromTables(text, 'annotations'));
        } catch (e) {
          throw new CallError(`error decoding CSV from ${url}: ${(e as Error).message}`);
        }
      }),
    );
  },
};

export const experimentalCsv: PackageDef = { path: 'experimental/csv', builtins: { from } };
