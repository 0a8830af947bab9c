/** @module DORA figures from the audit log: every release's deployments, then the report over the window. */
import type { Store } from '../store/store.js';
import { type Deployment, deploymentsOf } from './deployments.js';
import { type DoraReport, doraReport } from './dora.js';

/** How far before the window a release is still read: a failure in the window may end a deployment before it. */
const LOOK_BACK_MS = 90 * 24 * 3_600_000;

export async function doraFromStore(store: Store, since: number, until: number): Promise<DoraReport> {
  const records = (await store.releases(1_000_000)).filter((r) => {
    const created = Date.parse(r.createdAt);
    return created > since - LOOK_BACK_MS && created <= until;
  });
  const deployments: Deployment[] = [];
  for (const record of records) deployments.push(...deploymentsOf(record, await store.events(record.id)));
  return doraReport(deployments, since, until);
}
