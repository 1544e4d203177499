import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { conflict, invalid, notFound } from '../core/errors.js';
import { newId, type Id } from '../core/ids.js';
import { formatRfc3339Nano } from '../core/time.js';
import { StatementCache } from './statement-cache.js';

export interface Label {
  id: Id;
  orgID: Id;
  name: string;
  properties: Record<string, string>;
}

interface LabelRow {
  id: string;
  org_id: string;
  name: string;
  properties: string;
}

const toLabel = (r: LabelRow): Label => ({
  id: r.id,
  orgID: r.org_id,
  name: r.name,
  properties: JSON.parse(r.properties) as Record<string, string>,
});

/** Labels and their attachment to resources (`buckets`, `tasks`, …) by type and id. */
export class LabelStore {
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  create(input: { orgID: Id; name: string; properties?: Record<string, string> }): Label {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name === '') throw invalid('label name is required');
    if (this.sql.get('SELECT 1 FROM labels WHERE org_id = ? AND name = ?').get(input.orgID, name) !== undefined) {
      throw conflict(`label with name ${name} already exists`);
    }
    const label: Label = { id: newId(), orgID: input.orgID, name, properties: checkedProperties(input.properties ?? {}) };
    const now = formatRfc3339Nano(this.clock.nowNs());
    this.sql
      .get('INSERT INTO labels (id, org_id, name, properties, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(label.id, label.orgID, name, JSON.stringify(label.properties), now, now);
    return label;
  }

  findById(id: string): Label | undefined {
    const row = this.sql.get('SELECT * FROM labels WHERE id = ?').get(id) as LabelRow | undefined;
    return row === undefined ? undefined : toLabel(row);
  }

  get(id: string): Label {
    const l = this.findById(id);
    if (l === undefined) throw notFound('label not found');
    return l;
  }

  list(filter: { orgID?: string; name?: string } = {}): Label[] {
    return (this.sql.get('SELECT * FROM labels ORDER BY rowid').all() as LabelRow[])
      .map(toLabel)
      .filter((l) => (filter.orgID === undefined || l.orgID === filter.orgID) && (filter.name === undefined || l.name === filter.name));
  }

  /** Renames and/or merges properties; a property set to "" is removed (InfluxDB's PATCH rule). */
  update(id: string, patch: { name?: string; properties?: Record<string, string> }): Label {
    const label = this.get(id);
    const name = patch.name === undefined ? label.name : patch.name.trim();
    if (name === '') throw invalid('label name is required');
    if (name !== label.name && this.sql.get('SELECT 1 FROM labels WHERE org_id = ? AND name = ?').get(label.orgID, name) !== undefined) {
      throw conflict(`label with name ${name} already exists`);
    }
    const properties = { ...label.properties };
    for (const [k, v] of Object.entries(checkedProperties(patch.properties ?? {}))) {
      if (v === '') delete properties[k];
      else properties[k] = v;
    }
    this.sql
      .get('UPDATE labels SET name = ?, properties = ?, updated_at = ? WHERE id = ?')
      .run(name, JSON.stringify(properties), formatRfc3339Nano(this.clock.nowNs()), id);
    return { ...label, name, properties };
  }

  delete(id: string): void {
    const r = this.sql.get('DELETE FROM labels WHERE id = ?').run(id);
    if (r.changes === 0) throw notFound('label not found');
  }

  attach(labelID: string, resourceType: string, resourceID: string): Label {
    const label = this.get(labelID);
    const r = this.sql
      .get('INSERT OR IGNORE INTO label_mappings (label_id, resource_type, resource_id) VALUES (?, ?, ?)')
      .run(labelID, resourceType, resourceID);
    if (r.changes === 0) throw conflict('label already attached to resource');
    return label;
  }

  detach(labelID: string, resourceType: string, resourceID: string): void {
    const r = this.sql
      .get('DELETE FROM label_mappings WHERE label_id = ? AND resource_type = ? AND resource_id = ?')
      .run(labelID, resourceType, resourceID);
    if (r.changes === 0) throw notFound('label mapping not found');
  }

  /** Labels attached to one resource, in label creation order. */
  forResource(resourceType: string, resourceID: string): Label[] {
    const rows = this.sql
      .get(
        `SELECT l.* FROM labels l JOIN label_mappings m ON m.label_id = l.id
         WHERE m.resource_type = ? AND m.resource_id = ? ORDER BY l.rowid`,
      )
      .all(resourceType, resourceID) as LabelRow[];
    return rows.map(toLabel);
  }

  /** Removes every mapping of a deleted resource. */
  detachAll(resourceType: string, resourceID: string): void {
    this.sql.get('DELETE FROM label_mappings WHERE resource_type = ? AND resource_id = ?').run(resourceType, resourceID);
  }
}

function checkedProperties(p: unknown): Record<string, string> {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) throw invalid('label properties must be an object of strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p as Record<string, unknown>)) {
    if (typeof v !== 'string') throw invalid(`label property "${k}" must be a string`);
    out[k] = v;
  }
  return out;
}
