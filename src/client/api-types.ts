/**
 * The v2 API objects the CLI reads, as the server sends them (InfluxDB's field names). Only the
 * fields the CLI uses are typed; everything else passes through untouched for `--json`.
 */
export interface Org {
  id: string;
  name: string;
  description?: string;
}

export interface RetentionRule {
  type: 'expire';
  everySeconds: number;
  shardGroupDurationSeconds?: number;
}

export interface Bucket {
  id: string;
  orgID: string;
  name: string;
  description?: string;
  retentionRules: RetentionRule[];
}

export interface Permission {
  action: 'read' | 'write';
  resource: { type: string; id?: string; orgID?: string; name?: string; org?: string };
}

export interface Authorization {
  id: string;
  /** Only in the response that created it: the server keeps a hash, not the token. */
  token?: string;
  status: 'active' | 'inactive';
  description?: string;
  orgID: string;
  org?: string;
  userID?: string;
  user?: string;
  permissions: Permission[];
}

export interface User {
  id: string;
  name: string;
}

export interface SetupResult {
  user: User;
  org: Org;
  bucket: Bucket;
  auth: Authorization;
}

export interface Task {
  id: string;
  orgID: string;
  org?: string;
  name: string;
  status: 'active' | 'inactive';
  flux: string;
  every?: string;
  cron?: string;
  offset?: string;
  scriptID?: string;
  latestCompleted?: string;
  lastRunStatus?: string;
  nextRuns?: string[];
}

export interface Run {
  id: string;
  taskID: string;
  status: string;
  scheduledFor: string;
  startedAt?: string;
  finishedAt?: string;
  requestedAt?: string;
}

export interface LogEvent {
  runID?: string;
  time: string;
  message: string;
}

export interface Script {
  id: string;
  name: string;
  description?: string;
  orgID: string;
  script: string;
  language: string;
  createdAt?: string;
  updatedAt?: string;
}
