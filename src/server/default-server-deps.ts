import { parseLines } from '../lineprotocol/line-parser.js';
import { Engine } from '../storage/engine.js';
import type { ServerDeps } from './server.js';

/** The production wiring: the real storage engine and line protocol parser. */
export function defaultServerDeps(overrides: Partial<ServerDeps> = {}): ServerDeps {
  return {
    openStorage: (dir, { clock, logger }) => Engine.open({ dataDir: dir, clock, logger }),
    parseLines: (body, options) => parseLines(body, options),
    ...overrides,
  };
}
