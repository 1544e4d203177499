import Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { SystemClock } from '../core/clock.js';
import { conflict, ErrorCode, SluiceError } from '../core/errors.js';
import { AuthorizationStore, type Authorization } from './authorization-store.js';
import { ChangeCounter } from './change-counter.js';
import { BucketStore, MONITORING_BUCKET, TASKS_BUCKET, type Bucket } from './bucket-store.js';
import { DbrpStore } from './dbrp-store.js';
import { applyMigrations } from './migrations.js';
import { LabelStore } from './label-store.js';
import { MemberStore } from './member-store.js';
import { OrgStore, type Org } from './org-store.js';
import { SqliteRunStore } from './run-store.js';
import { ScriptStore } from './script-store.js';
import { TaskStore } from './task-store.js';
import { SessionStore } from './session-store.js';
import { operatorPermissions } from './permission.js';
import { UserStore, type User } from './user-store.js';
import { hashToken } from './token.js';

export interface SetupRequest {
  username: string;
  password?: string;
  org: string;
  bucket: string;
  /** 0 = infinite. */
  retentionSeconds?: number;
  /** Operator token value to use instead of a random one. */
  token?: string;
}

export interface SetupResult {
  user: User;
  org: Org;
  bucket: Bucket;
  /** The org's system buckets, made with it. */
  systemBuckets: Bucket[];
  auth: Authorization;
  /** Plaintext operator token; shown once. */
  token: string;
}

export interface MetaStoreOpenOptions {
  clock?: Clock;
  /**
   * SQLite `synchronous` in WAL mode. `NORMAL` (default): durable against process crashes, a power
   * loss may drop the last commits. `FULL`: an fsync per commit (benchmarks compare the two).
   */
  synchronous?: 'NORMAL' | 'FULL';
}

/**
 * The metadata DB: one SQLite file holding tenancy (orgs, users, buckets, tokens, labels). Calls
 * are synchronous (better-sqlite3) and each is atomic; multi-row operations use `transaction`.
 * Single writer: the data-dir lock (src/server) keeps a second process away.
 */
export class MetaStore {
  readonly orgs: OrgStore;
  readonly users: UserStore;
  readonly buckets: BucketStore;
  readonly authorizations: AuthorizationStore;
  readonly labels: LabelStore;
  readonly sessions: SessionStore;
  readonly dbrps: DbrpStore;
  readonly members: MemberStore;
  readonly tasks: TaskStore;
  /** Task runs and run logs (the task engine's RunStore). */
  readonly runs: SqliteRunStore;
  readonly scripts: ScriptStore;
  /** Migration versions applied when this store was opened (empty if the schema was current). */
  readonly appliedMigrations: number[];

  /** Bumped by every update or delete of an authorization, user or org (see activeAuthorization). */
  readonly #tokenValidity = new ChangeCounter();
  /** Token digest → an active authorization and the #tokenValidity it was found at. */
  readonly #activeTokens = new Map<string, { version: number; auth: Authorization }>();
  /** Bumped by every insert, update or delete of a `buckets` row (see bucketsVersion). */
  readonly #bucketChanges = new ChangeCounter();

  private constructor(
    private readonly db: Database.Database,
    clock: Clock,
  ) {
    this.appliedMigrations = applyMigrations(db, clock);
    // Counted by triggers rather than in BucketStore's methods so that every way a row changes is
    // seen, an org's deletion cascading to its buckets included. TEMP: they belong to this
    // connection (the function they call exists only here), not to the schema in the file.
    db.function('sluice_bucket_changed', { deterministic: false }, () => {
      this.#bucketChanges.bump();
      return null;
    });
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      db.exec(`CREATE TEMP TRIGGER buckets_${op.toLowerCase()}_counted AFTER ${op} ON main.buckets BEGIN SELECT sluice_bucket_changed(); END`);
    }
    this.orgs = new OrgStore(db, clock, this.#tokenValidity);
    this.users = new UserStore(db, clock, this.#tokenValidity);
    this.buckets = new BucketStore(db, clock);
    this.authorizations = new AuthorizationStore(db, clock, this.#tokenValidity);
    this.labels = new LabelStore(db, clock);
    this.sessions = new SessionStore(db, clock);
    this.dbrps = new DbrpStore(db);
    this.members = new MemberStore(db);
    this.tasks = new TaskStore(db, clock);
    this.runs = new SqliteRunStore(db);
    this.scripts = new ScriptStore(db, clock);
  }

  /** Opens (creating if needed) the DB at `path` (`:memory:` for tests) and migrates it. */
  static open(path: string, options: MetaStoreOpenOptions = {}): MetaStore {
    const db = new Database(path);
    try {
      // WAL + synchronous = NORMAL: a commit is an append to the WAL with no fsync; the WAL is
      // fsynced at checkpoints. A process crash loses nothing committed; a power loss or OS crash
      // can lose the last transactions (never corrupts). Task runs tolerate that (runs left
      // `scheduled`/`started` are re-run on start; see run-store.ts), and FULL's fsync per commit
      // blocked the event loop for every run transition (~4 per run), capping task throughput.
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      return new MetaStore(db, options.clock ?? new SystemClock());
    } catch (e) {
      db.close();
      throw new SluiceError(ErrorCode.Internal, `cannot open metadata DB ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * The authorization of `token` when it is active and so is its user (if it has one), else
   * undefined: what every API request checks. Found answers are remembered by token digest until
   * any authorization, user or org is updated or deleted (deleting a user or an org deletes its
   * tokens by cascade), which saves two SQLite look-ups and a JSON parse per request. The
   * returned object is shared between requests, so it is frozen. Nothing is remembered inside a
   * transaction (it may roll back).
   */
  activeAuthorization(token: string): Authorization | undefined {
    const digest = hashToken(token);
    const version = this.#tokenValidity.value;
    const hit = this.#activeTokens.get(digest);
    if (hit !== undefined && hit.version === version) return hit.auth;
    const auth = this.authorizations.findByTokenDigest(digest);
    if (auth === undefined || auth.status !== 'active') return undefined;
    if (auth.userID !== undefined) {
      const user = this.users.findById(auth.userID);
      if (user !== undefined && user.status !== 'active') return undefined;
    }
    if (!this.db.inTransaction) {
      // Bounded: entries of changed versions are only overwritten, so start afresh when full.
      if (this.#activeTokens.size >= 10_000) this.#activeTokens.clear();
      for (const p of auth.permissions) Object.freeze(Object.freeze(p).resource);
      Object.freeze(auth.permissions);
      this.#activeTokens.set(digest, { version, auth: Object.freeze(auth) });
    }
    return auth;
  }

  /**
   * For caches of bucket lookups: a number that changes whenever a bucket is created, updated
   * (renamed, retention…) or deleted, by any call on this store. Undefined inside a transaction:
   * what is read there may still roll back without changing the number, so it must not be cached.
   */
  bucketsVersion(): number | undefined {
    return this.db.inTransaction ? undefined : this.#bucketChanges.value;
  }

  /** Runs `fn` in one transaction: all its writes land or none do. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** InfluxDB's rule: setup is allowed while there are no users and no orgs. */
  isSetupAllowed(): boolean {
    return this.users.count() === 0 && this.orgs.count() === 0;
  }

  /** First-run onboarding: user, org, bucket, the org's system buckets and the operator token. */
  setup(req: SetupRequest): SetupResult {
    return this.transaction(() => {
      if (!this.isSetupAllowed()) throw conflict('onboarding has already been completed');
      const user = this.users.create(req.password === undefined ? { name: req.username } : { name: req.username, password: req.password });
      const org = this.orgs.create({ name: req.org });
      this.members.add(org.id, user.id, 'owner');
      const bucket = this.buckets.create({ orgID: org.id, name: req.bucket, retentionSeconds: req.retentionSeconds ?? 0 });
      const systemBuckets = this.createSystemBuckets(org.id);
      const created = this.authorizations.create({
        orgID: org.id,
        userID: user.id,
        description: `${user.name}'s Token`,
        permissions: operatorPermissions(),
        ...(req.token === undefined ? {} : { token: req.token }),
      });
      return { user, org, bucket, systemBuckets, auth: created.authorization, token: created.token };
    });
  }

  /** `_tasks` (3 d) and `_monitoring` (7 d), which every org has. */
  createSystemBuckets(orgID: string): Bucket[] {
    return [TASKS_BUCKET, MONITORING_BUCKET].map((b) =>
      this.buckets.create({ orgID, name: b.name, retentionSeconds: b.retentionSeconds }, 'system'),
    );
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
