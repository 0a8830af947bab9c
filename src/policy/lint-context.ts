/** @module What rules see besides the object itself: every other object of the same run, indexed. */
import type { K8sObject, LocatedObject } from '../render/k8s-object.js';
import {
  dig,
  isWorkload,
  namespaceOf,
  podLabels,
  records,
  selectorMatches,
  stringMap,
} from '../render/object-access.js';

const WORKLOAD = '\0workload';
const ANY = '\0any';

export class LintContext {
  /** `kind` and `kind\0namespace` → objects: rules look up by namespace for every workload. */
  private readonly index = new Map<string, K8sObject[]>();

  constructor(located: LocatedObject[]) {
    for (const { object } of located) {
      const kinds = isWorkload(object) ? [object.kind, WORKLOAD, ANY] : [object.kind, ANY];
      for (const kind of kinds)
        for (const key of [kind, `${kind}\0${namespaceOf(object)}`]) {
          const list = this.index.get(key);
          if (list) list.push(object);
          else this.index.set(key, [object]);
        }
    }
  }

  kind(kind: string, namespace?: string): K8sObject[] {
    return this.index.get(namespace === undefined ? kind : `${kind}\0${namespace}`) ?? [];
  }

  workloads(namespace?: string): K8sObject[] {
    return this.kind(WORKLOAD, namespace);
  }

  /** Every object of the run (in a namespace). */
  all(namespace?: string): K8sObject[] {
    return this.kind(ANY, namespace);
  }

  /** Objects of `kind` in the workload's namespace whose `selectorPath` selects its pods. */
  selecting(workload: K8sObject, kind: string, selectorPath: string[]): K8sObject[] {
    const labels = podLabels(workload);
    if (Object.keys(labels).length === 0) return [];
    return this.kind(kind, namespaceOf(workload)).filter((o) => {
      const selector = dig(o, ...selectorPath);
      // An absent or empty selector selects nothing for PDBs and Services, everything for NetworkPolicies.
      if (selector === undefined) return false;
      if (
        kind !== 'NetworkPolicy' &&
        Object.keys(stringMap(dig(selector, 'matchLabels'))).length === 0 &&
        records(dig(selector, 'matchExpressions')).length === 0
      )
        return false;
      return selectorMatches(selector, labels);
    });
  }

  /** HPAs and KEDA ScaledObjects that scale this workload. */
  scalersOf(workload: K8sObject): K8sObject[] {
    return [
      ...this.kind('HorizontalPodAutoscaler', namespaceOf(workload)),
      ...this.kind('ScaledObject', namespaceOf(workload)),
    ].filter((s) => dig(s, 'spec', 'scaleTargetRef', 'name') === workload.metadata.name);
  }
}
