/**
 * @module Server-side apply as the simulator does it: each field manager owns the leaf fields it applied;
 * applying again sets them, drops the ones it no longer applies (unless another manager owns them),
 * and a field owned by another manager with a different value is a conflict unless forced. Lists are
 * atomic here (the API server merges some by key, e.g. containers by name): a documented simplification.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** Managers and the leaf paths they own, e.g. `spec.replicas` → kubectl. */
export type Ownership = Record<string, string[]>;

const SERVER_FIELDS = new Set([
  'metadata.managedFields',
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.uid',
  'metadata.creationTimestamp',
  'status',
]);

export function leafPaths(value: Json, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return prefix ? [prefix] : [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k.replaceAll('.', '\\.')}` : k;
    if (SERVER_FIELDS.has(path)) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0)
      out.push(...leafPaths(v, path));
    else out.push(path);
  }
  return out;
}

const split = (path: string) => path.split(/(?<!\\)\./).map((p) => p.replaceAll('\\.', '.'));

export function getPath(obj: Json, path: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const key of split(path)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function setPath(obj: JsonObject, path: string, value: Json): void {
  const keys = split(path);
  let cur: JsonObject = obj;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[key] = {};
    cur = cur[key] as JsonObject;
  }
  cur[keys.at(-1)!] = structuredClone(value);
}

export function deletePath(obj: JsonObject, path: string): void {
  const keys = split(path);
  const parents: JsonObject[] = [];
  let cur: JsonObject = obj;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) return;
    parents.push(cur);
    cur = next;
  }
  delete cur[keys.at(-1)!];
  // Empty maps left behind go too, as the API server prunes them.
  for (let i = keys.length - 2; i >= 0; i--) {
    const parent = parents[i]!;
    const child = parent[keys[i]!] as JsonObject;
    if (Object.keys(child).length === 0) delete parent[keys[i]!];
    else break;
  }
}

export interface Conflict {
  manager: string;
  field: string;
}

export function applyFields(
  live: JsonObject,
  owners: Ownership,
  applied: JsonObject,
  manager: string,
  force: boolean,
): { object: JsonObject; owners: Ownership } | { conflicts: Conflict[] } {
  const wanted = leafPaths(applied);
  const conflicts: Conflict[] = [];
  for (const field of wanted)
    for (const [other, fields] of Object.entries(owners))
      if (other !== manager && fields.includes(field)) {
        if (JSON.stringify(getPath(live, field)) !== JSON.stringify(getPath(applied, field)))
          conflicts.push({ manager: other, field });
      }
  if (conflicts.length > 0 && !force) return { conflicts };
  const object = structuredClone(live);
  const ownedElsewhere = (field: string) =>
    Object.entries(owners).some(([m, f]) => m !== manager && f.includes(field));
  for (const field of owners[manager] ?? [])
    if (!wanted.includes(field) && !ownedElsewhere(field)) deletePath(object, field);
  for (const field of wanted) setPath(object, field, getPath(applied, field)!);
  const next: Ownership = {};
  const lost = new Set(conflicts.map((c) => `${c.manager}\0${c.field}`));
  for (const [m, fields] of Object.entries(owners))
    if (m !== manager) {
      const kept = fields.filter((f) => !lost.has(`${m}\0${f}`));
      if (kept.length > 0) next[m] = kept;
    }
  next[manager] = wanted;
  return { object, owners: next };
}

/** The managedFields entries the API shows for an ownership map (FieldsV1, `f:` keys). */
export function managedFields(owners: Ownership, apiVersion: string, operations: Record<string, string>) {
  return Object.entries(owners).map(([manager, fields]) => {
    const tree: JsonObject = {};
    for (const field of fields)
      setPath(
        tree,
        split(field)
          .map((k) => `f:${k}`.replaceAll('.', '\\.'))
          .join('.'),
        {},
      );
    return {
      manager,
      operation: operations[manager] ?? 'Apply',
      apiVersion,
      time: new Date().toISOString(),
      fieldsType: 'FieldsV1',
      fieldsV1: tree,
    };
  });
}
