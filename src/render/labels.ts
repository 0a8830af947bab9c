/** @module The labels every rendered object carries and the selector that finds a service's pods. */
import { LABEL } from './k8s-object.js';
import type { ServiceView } from './service-view.js';

export function selectorLabels(view: ServiceView): Record<string, string> {
  return { [LABEL.name]: view.name };
}

export function objectLabels(view: ServiceView): Record<string, string> {
  return {
    [LABEL.name]: view.name,
    [LABEL.partOf]: view.platform,
    [LABEL.managedBy]: 'slipway',
    ...(view.version ? { [LABEL.version]: labelValue(view.version) } : {}),
    ...view.service.labels,
  };
}

/** Pod labels: also `app`, which hand-written policies and dashboards of the source documents select on. */
export function podLabels(view: ServiceView): Record<string, string> {
  return {
    [LABEL.app]: view.name,
    [LABEL.name]: view.name,
    [LABEL.partOf]: view.platform,
    ...(view.version ? { [LABEL.version]: labelValue(view.version) } : {}),
    ...view.service.labels,
  };
}

/** A label value is ≤ 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
export function labelValue(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63);
  return cleaned.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}

export function metadata(view: ServiceView, name: string, extra: Record<string, string> = {}) {
  return { name, namespace: view.namespace, labels: { ...objectLabels(view), ...extra } };
}
