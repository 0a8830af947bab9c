/** @module Public exposure: Gateway API HTTPRoute (or Ingress) and the cert-manager Certificate for its hosts. */
import type { K8sObject } from './k8s-object.js';
import { metadata } from './labels.js';
import type { ServiceView } from './service-view.js';

export function exposure(view: ServiceView): K8sObject[] {
  const expose = view.service.expose;
  if (!expose || expose.type !== 'public' || !expose.host) return [];
  const hosts = [expose.host, ...(expose.extraHosts ?? [])];
  const port = view.ports.find((p) => p.port === expose.port || p.name === expose.port) ?? view.primary;
  const path = expose.path ?? '/';
  const secretName = expose.tls?.secretName ?? `${view.name}-tls`;
  const out: K8sObject[] = [];
  if (expose.via === 'ingress') {
    out.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: metadata(view, view.name),
      spec: {
        ...(expose.ingressClass ? { ingressClassName: expose.ingressClass } : {}),
        ...(expose.tls ? { tls: [{ hosts, secretName }] } : {}),
        rules: hosts.map((host) => ({
          host,
          http: {
            paths: [
              {
                path,
                pathType: 'Prefix',
                backend: {
                  service: { name: view.name, port: port ? { number: port.port } : { number: 80 } },
                },
              },
            ],
          },
        })),
      },
    });
  } else {
    const gateway = expose.gateway ?? view.clusterSpec.kubernetes?.gateway ?? { name: 'gateway' };
    const listener = expose.gateway?.listener;
    out.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: metadata(view, view.name),
      spec: {
        parentRefs: [
          {
            name: gateway.name,
            ...(gateway.namespace ? { namespace: gateway.namespace } : {}),
            ...(listener ? { sectionName: listener } : {}),
          },
        ],
        hostnames: hosts,
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: path } }],
            backendRefs: [{ name: view.name, port: port?.port ?? 80 }],
          },
        ],
      },
    });
  }
  if (expose.tls)
    out.push({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: metadata(view, view.name),
      spec: {
        secretName,
        issuerRef: {
          name: expose.tls.issuer,
          kind: expose.tls.issuerKind ?? 'Issuer',
          group: 'cert-manager.io',
        },
        dnsNames: hosts,
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      },
    });
  return out;
}
