import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRows } from './run-tables.js';

const CSV = `#datatype,string,long,string,double
#group,false,false,true,false
#default,_result,,,
,result,table,host,_value
,,0,a,1.5
,,1,b,2.5
`;

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/data.csv') {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(CSV);
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('experimental/csv.from(url:)', () => {
  it('fetches and decodes annotated CSV', async () => {
    const rows = await runRows(`import "experimental/csv"\ncsv.from(url: "${base}/data.csv")`);
    expect(rows.map((r) => [r.host, r._value])).toEqual([
      ['a', 1.5],
      ['b', 2.5],
    ]);
  });

  it('fails on a non-2xx response', async () => {
    await expect(runRows(`import "experimental/csv"\ncsv.from(url: "${base}/missing.csv")`)).rejects.toThrow(/status 404/);
  });
});
