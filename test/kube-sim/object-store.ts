/** @module The simulator's objects: one resourceVersion counter, an event history for watches, field owners. */
import { randomUUID } from 'node:crypto';
import type { Json, JsonObject, Ownership } from './field-ownership.js';
import type { ResourceType } from './resources.js';

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchType;
  resource: string;
  object: JsonObject;
  rv: number;
}

export interface StoredObject {
  resource: ResourceType;
  object: JsonObject;
  owners: Ownership;
  operations: Record<string, string>;
}

export const keyOf = (r: ResourceType, namespace: string | undefined, name: string) =>
  `${r.group}/${r.plural}/${namespace ?? ''}/${name}`;

export const metadataOf = (o: JsonObject) =>
  o['metadata'] as JsonObject & { name: string; namespace?: string };

export class ObjectStore {
  private rv = 1;
  private readonly objects = new Map<string, StoredObject>();
  private readonly history: WatchEvent[] = [];
  private readonly listeners = new Set<(e: WatchEvent) => void>();

  get resourceVersion(): number {
    return this.rv;
  }

  get(r: ResourceType, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.objects.get(keyOf(r, namespace, name));
  }

  list(r: ResourceType, namespace?: string): StoredObject[] {
    const prefix = `${r.group}/${r.plural}/`;
    return [...this.objects.entries()]
      .filter(
        ([k, s]) =>
          k.startsWith(prefix) && (namespace === undefined || metadataOf(s.object).namespace === namespace),
      )
      .map(([, s]) => s)
      .sort((a, b) => metadataOf(a.object).name.localeCompare(metadataOf(b.object).name));
  }

  /** Creates or replaces an object, stamping server fields; emits the watch event. */
  put(
    r: ResourceType,
    object: JsonObject,
    owners: Ownership,
    operations: Record<string, string>,
  ): JsonObject {
    const meta = metadataOf(object);
    const key = keyOf(r, r.namespaced ? meta.namespace : undefined, meta.name);
    const before = this.objects.get(key);
    this.rv++;
    const stamped: JsonObject = {
      ...object,
      metadata: {
        ...meta,
        uid: (before ? metadataOf(before.object)['uid'] : undefined) ?? randomUUID(),
        creationTimestamp:
          (before ? metadataOf(before.object)['creationTimestamp'] : undefined) ?? new Date().toISOString(),
        resourceVersion: String(this.rv),
      },
    };
    this.objects.set(key, { resource: r, object: stamped, owners, operations });
    this.emit({ type: before ? 'MODIFIED' : 'ADDED', resource: key, object: stamped, rv: this.rv });
    return stamped;
  }

  delete(r: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    const key = keyOf(r, namespace, name);
    const before = this.objects.get(key);
    if (!before) return undefined;
    this.objects.delete(key);
    this.rv++;
    const object = {
      ...before.object,
      metadata: { ...metadataOf(before.object), resourceVersion: String(this.rv) },
    };
    this.emit({ type: 'DELETED', resource: key, object, rv: this.rv });
    return object;
  }

  /** Events after `rv` (for a watch that resumes), or undefined when they have been compacted away. */
  since(rv: number): WatchEvent[] | undefined {
    const first = this.history[0];
    if (first && rv < first.rv - 1) return undefined;
    return this.history.filter((e) => e.rv > rv);
  }

  subscribe(listener: (e: WatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: WatchEvent): void {
    this.history.push(e);
    if (this.history.length > 5000) this.history.splice(0, 1000);
    for (const l of this.listeners) l(e);
  }
}

export const asJson = (v: unknown) => v as Json;
