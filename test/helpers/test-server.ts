import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger.js';
import { defaultConfig, type ServerConfig } from '../../src/server/config.js';
import { defaultServerDeps } from '../../src/server/default-server-deps.js';
import { Server, type ServerDeps } from '../../src/server/server.js';

/**
 * A real Sluice server for integration tests: listens on 127.0.0.1 with an OS-chosen port and a
 * fresh temporary data dir (removed by `cleanup`). Reusable by every area's tests:
 *
 *   const ts = await startTestServer({ setup: true });
 *   const client = new InfluxDB({ url: ts.url, token: ts.token });
 *   ...
 *   await ts.cleanup();
 */
export interface TestServerOptions {
  /** Reuse a data dir (e.g. to restart on the same data); default: a new temp dir. */
  dataDir?: string;
  config?: Partial<ServerConfig>;
  deps?: Partial<ServerDeps>;
  /** Onboard through POST /api/v2/setup (true = defaults below). */
  setup?: boolean | Partial<SetupInput>;
}

export interface SetupInput {
  username: string;
  password: string;
  org: string;
  bucket: string;
  retentionPeriodSeconds: number;
  token?: string;
}

export const DEFAULT_SETUP: SetupInput = {
  username: 'admin',
  password: 'password123',
  org: 'acme',
  bucket: 'telemetry',
  retentionPeriodSeconds: 0,
};

export interface Onboarded {
  token: string;
  org: string;
  orgID: string;
  bucket: string;
  bucketID: string;
  userID: string;
}

export interface TestServer {
  readonly server: Server;
  readonly url: string;
  readonly dataDir: string;
  /** Set when started with `setup`. */
  readonly onboarded: Onboarded | undefined;
  /** The operator token from setup (throws when not onboarded). */
  readonly token: string;
  /** Graceful stop; the data dir is kept. */
  stop(): Promise<void>;
  /** Stops and starts a new server on the same data dir (new port). */
  restart(): Promise<TestServer>;
  /** Stops (if running) and removes the data dir. */
  cleanup(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sluice-test-'));
  const config: ServerConfig = {
    ...defaultConfig(),
    httpBindAddress: '127.0.0.1:0',
    dataDir,
    logLevel: 'silent',
    shutdownTimeoutMs: 5_000,
    ...options.config,
  };
  let server: Server;
  try {
    server = await Server.start(config, defaultServerDeps({ logger: silentLogger(), ...options.deps }));
  } catch (e) {
    if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  let onboarded: Onboarded | undefined;
  if (options.setup !== undefined && options.setup !== false) {
    try {
      onboarded = await onboard(server.url, { ...DEFAULT_SETUP, ...(options.setup === true ? {} : options.setup) });
    } catch (e) {
      await server.stop();
      throw e;
    }
  }
  return makeHandle(server, dataDir, ownsDir, onboarded, options);
}

function makeHandle(server: Server, dataDir: string, ownsDir: boolean, onboarded: Onboarded | undefined, options: TestServerOptions): TestServer {
  return {
    server,
    url: server.url,
    dataDir,
    onboarded,
    get token(): string {
      if (onboarded === undefined) throw new Error('test server was not onboarded (start it with setup: true)');
      return onboarded.token;
    },
    stop: () => server.stop(),
    async restart() {
      await server.stop();
      const config = { ...server.config, httpBindAddress: '127.0.0.1:0' };
      const next = await Server.start(config, defaultServerDeps({ logger: silentLogger(), ...options.deps }));
      return makeHandle(next, dataDir, ownsDir, onboarded, options);
    },
    async cleanup() {
      await server.stop();
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POST /api/v2/setup and collect what tests need. */
export async function onboard(url: string, input: SetupInput): Promise<Onboarded> {
  const res = await fetch(`${url}/api/v2/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as {
    user: { id: string };
    org: { id: string; name: string };
    bucket: { id: string; name: string };
    auth: { token: string };
  };
  return {
    token: body.auth.token,
    org: body.org.name,
    orgID: body.org.id,
    bucket: body.bucket.name,
    bucketID: body.bucket.id,
    userID: body.user.id,
  };
}
