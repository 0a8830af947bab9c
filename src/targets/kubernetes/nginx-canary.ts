/**
 * @module A canary through ingress-nginx, as Argo Rollouts' NGINX traffic router does it: a second Ingress
 * (`<ingress>-canary`) copied from the one render wrote, every backend pointing at the canary's Service,
 * with ingress-nginx's canary annotations — `canary-weight` for the share, `canary-by-header` and
 * `canary-by-header-value` for an A/B rule. Only ingress-nginx reads these annotations, so only an Ingress
 * of an nginx class is split this way (another class splits by replica ratio).
 */
import type { K8sObject } from '../../render/k8s-object.js';
import { gatewayHeaderMatch, type HeaderValue } from '../header-match.js';
import type { HeaderMatch } from '../target.js';
import { GROUP_LABEL, groupName } from './traffic-groups.js';

const PREFIX = 'nginx.ingress.kubernetes.io/';
export const NGINX_CANARY = `${PREFIX}canary`;
export const NGINX_CANARY_WEIGHT = `${PREFIX}canary-weight`;
const BY_HEADER = `${PREFIX}canary-by-header`;
const BY_HEADER_VALUE = `${PREFIX}canary-by-header-value`;
const BY_HEADER_PATTERN = `${PREFIX}canary-by-header-pattern`;

/** An exact value as canary-by-header-value; a prefix or a regex as canary-by-header-pattern. */
function nginxHeaderValue(value: HeaderValue): Record<string, string> {
  return typeof value === 'string'
    ? { [BY_HEADER_VALUE]: value }
    : { [BY_HEADER_PATTERN]: gatewayHeaderMatch('', value).value };
}

type Backend = { service?: { name: string } };
type IngressSpec = {
  ingressClassName?: string;
  defaultBackend?: Backend;
  rules?: { http?: { paths?: { backend: Backend }[] } }[];
};

/** An Ingress that ingress-nginx serves (its class names nginx). */
export function isNginxIngress(object: K8sObject): boolean {
  if (object.kind !== 'Ingress') return false;
  const cls =
    (object['spec'] as IngressSpec | undefined)?.ingressClassName ??
    object.metadata.annotations?.['kubernetes.io/ingress.class'];
  return cls !== undefined && /nginx/.test(cls);
}

export const canaryIngressName = (ingress: K8sObject) => `${ingress.metadata.name}-canary`;

/** The canary Ingress: the rendered one's hosts and paths, to the canary's Service, with the split's annotations. */
export function nginxCanaryIngress(
  ingress: K8sObject,
  service: string,
  weight: number,
  match: HeaderMatch | undefined,
): K8sObject {
  const copy = structuredClone(ingress);
  const header = match ? Object.entries(match.headers)[0] : undefined;
  copy.metadata = {
    ...copy.metadata,
    name: canaryIngressName(ingress),
    labels: { ...copy.metadata.labels, [GROUP_LABEL]: 'canary' },
    annotations: {
      ...copy.metadata.annotations,
      [NGINX_CANARY]: 'true',
      [NGINX_CANARY_WEIGHT]: String(weight),
      ...(header ? { [BY_HEADER]: header[0], ...nginxHeaderValue(header[1]) } : {}),
    },
  };
  const spec = copy['spec'] as IngressSpec;
  const toCanary = (b: Backend | undefined) => {
    if (b?.service) b.service.name = groupName(service, 'canary');
  };
  toCanary(spec.defaultBackend);
  for (const rule of spec.rules ?? []) for (const path of rule.http?.paths ?? []) toCanary(path.backend);
  return copy;
}

/** The canary's share a live canary Ingress gives (0 when there is none). */
export function nginxCanaryWeight(live: K8sObject | undefined): number {
  const weight = Number(live?.metadata.annotations?.[NGINX_CANARY_WEIGHT] ?? 0);
  return Number.isFinite(weight) ? weight : 0;
}
