import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { conflict, ErrorCode, invalid, notFound, SluiceError } from '../core/errors.js';
import { newId, type Id } from '../core/ids.js';
import { formatRfc3339Nano } from '../core/time.js';
import { StatementCache } from './statement-cache.js';

export type BucketType = 'user' | 'system';

export interface Bucket {
  id: Id;
  orgID: Id;
  type: BucketType;
  name: string;
  description?: string;
  rp?: string;
  /** 0 = keep forever. */
  retentionSeconds: number;
  /** Always resolved (never 0): see `defaultShardGroupSeconds`. */
  shardGroupDurationSeconds: number;
  createdAt: string;
  updatedAt: string;
}

export interface BucketInput {
  orgID: Id;
  name: string;
  description?: string;
  rp?: string;
  retentionSeconds?: number;
  /** 0 or absent = derived from the retention. */
  shardGroupDurationSeconds?: number;
}

interface BucketRow {
  id: string;
  org_id: string;
  type: BucketType;
  name: string;
  description: string | null;
  rp: string | null;
  retention_seconds: number;
  shard_group_seconds: number;
  created_at: string;
  updated_at: string;
}

const toBucket = (r: BucketRow): Bucket => {
  const b: Bucket = {
    id: r.id,
    orgID: r.org_id,
    type: r.type,
    name: r.name,
    retentionSeconds: r.retention_seconds,
    shardGroupDurationSeconds: r.shard_group_seconds,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.description !== null) b.description = r.description;
  if (r.rp !== null) b.rp = r.rp;
  return b;
};

const HOUR_S = 3600;
const DAY_S = 86_400;
export const MIN_RETENTION_SECONDS = HOUR_S;
export const TASKS_BUCKET = { name: '_tasks', retentionSeconds: 3 * DAY_S } as const;
export const MONITORING_BUCKET = { name: '_monitoring', retentionSeconds: 7 * DAY_S } as const;

/**
 * InfluxDB's default shard-group duration for a retention: 7 d for infinite or ≥ 180 d retention,
 * 1 d for ≥ 2 d, else 1 h.
 */
export function defaultShardGroupSeconds(retentionSeconds: number): number {
  if (retentionSeconds === 0 || retentionSeconds >= 180 * DAY_S) return 7 * DAY_S;
  if (retentionSeconds >= 2 * DAY_S) return DAY_S;
  return HOUR_S;
}

/** Buckets, unique by name within an org. System buckets (`_tasks`, `_monitoring`) are made by setup. */
export class BucketStore {
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  create(input: BucketInput, type: BucketType = 'user'): Bucket {
    const name = typeof input.name === 'string' ? input.name : '';
    validateName(name, type);
    if (this.findByName(input.orgID, name) !== undefined) throw conflict(`bucket with name ${name} already exists`);
    const retentionSeconds = input.retentionSeconds ?? 0;
    const shard = checkedRetention(retentionSeconds, input.shardGroupDurationSeconds ?? 0);
    const now = formatRfc3339Nano(this.clock.nowNs());
    const bucket: Bucket = {
      id: newId(),
      orgID: input.orgID,
      type,
      name,
      retentionSeconds,
      shardGroupDurationSeconds: shard,
      createdAt: now,
      updatedAt: now,
    };
    if (input.description !== undefined) bucket.description = input.description;
    if (input.rp !== undefined) bucket.rp = input.rp;
    this.sql
      .get(
        `INSERT INTO buckets (id, org_id, type, name, description, rp, retention_seconds, shard_group_seconds, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(bucket.id, bucket.orgID, type, name, input.description ?? null, input.rp ?? null, retentionSeconds, shard, now, now);
    return bucket;
  }

  findById(id: string): Bucket | undefined {
    const row = this.sql.get('SELECT * FROM buckets WHERE id = ?').get(id) as BucketRow | undefined;
    return row === undefined ? undefined : toBucket(row);
  }

  findByName(orgID: string, name: string): Bucket | undefined {
    const row = this.sql.get('SELECT * FROM buckets WHERE org_id = ? AND name = ?').get(orgID, name) as BucketRow | undefined;
    return row === undefined ? undefined : toBucket(row);
  }

  get(id: string): Bucket {
    const b = this.findById(id);
    if (b === undefined) throw notFound('bucket not found');
    return b;
  }

  /** Buckets in creation order, optionally of one org. */
  list(orgID?: string): Bucket[] {
    const rows =
      orgID === undefined
        ? (this.sql.get('SELECT * FROM buckets ORDER BY rowid').all() as BucketRow[])
        : (this.sql.get('SELECT * FROM buckets WHERE org_id = ? ORDER BY rowid').all(orgID) as BucketRow[]);
    return rows.map(toBucket);
  }

  update(
    id: string,
    patch: { name?: string; description?: string; retentionSeconds?: number; shardGroupDurationSeconds?: number },
  ): Bucket {
    const b = this.get(id);
    const name = patch.name ?? b.name;
    if (name !== b.name) {
      if (b.type === 'system') throw invalid('system buckets cannot be renamed');
      validateName(name, b.type);
      if (this.findByName(b.orgID, name) !== undefined) throw conflict(`bucket with name ${name} already exists`);
    }
    const retentionSeconds = patch.retentionSeconds ?? b.retentionSeconds;
    const shardInput =
      patch.shardGroupDurationSeconds ?? (patch.retentionSeconds === undefined ? b.shardGroupDurationSeconds : 0);
    const shard = checkedRetention(retentionSeconds, shardInput);
    const updated: Bucket = {
      ...b,
      name,
      retentionSeconds,
      shardGroupDurationSeconds: shard,
      updatedAt: formatRfc3339Nano(this.clock.nowNs()),
    };
    if (patch.description !== undefined) updated.description = patch.description;
    this.sql
      .get(
        `UPDATE buckets SET name = ?, description = ?, retention_seconds = ?, shard_group_seconds = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(name, updated.description ?? null, retentionSeconds, shard, updated.updatedAt, id);
    return updated;
  }

  delete(id: string): void {
    const b = this.get(id);
    if (b.type === 'system') throw invalid('system buckets cannot be deleted');
    this.sql.get('DELETE FROM buckets WHERE id = ?').run(id);
  }
}

function validateName(name: string, type: BucketType): void {
  if (name.trim() === '') throw invalid('bucket name is empty');
  if (type === 'user' && name.startsWith('_')) {
    throw invalid(`bucket name ${name} is invalid. Buckets may not start with underscore`);
  }
  if (name.includes('"')) throw invalid(`bucket name ${name} is invalid. Bucket names may not include quotation marks`);
}

/** Validates retention and shard-group duration (seconds) and returns the resolved shard duration. */
function checkedRetention(retentionSeconds: number, shardGroupSeconds: number): number {
  if (!Number.isSafeInteger(retentionSeconds) || retentionSeconds < 0) {
    throw new SluiceError(ErrorCode.UnprocessableEntity, 'expiration seconds must be greater than or equal to zero');
  }
  if (!Number.isSafeInteger(shardGroupSeconds) || shardGroupSeconds < 0) {
    throw new SluiceError(ErrorCode.UnprocessableEntity, 'shard-group duration seconds must be greater than or equal to zero');
  }
  if (retentionSeconds !== 0 && retentionSeconds < MIN_RETENTION_SECONDS) {
    throw new SluiceError(ErrorCode.UnprocessableEntity, 'retention policy duration must be at least 1h0m0s');
  }
  if (shardGroupSeconds !== 0 && retentionSeconds !== 0 && shardGroupSeconds > retentionSeconds) {
    throw new SluiceError(
      ErrorCode.UnprocessableEntity,
      'shard-group duration must also be less than or equal to the retention duration',
    );
  }
  return shardGroupSeconds === 0 ? defaultShardGroupSeconds(retentionSeconds) : shardGroupSeconds;
}
