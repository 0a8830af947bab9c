/**
 * @module `ipBlock` peers and pods. Kubernetes matches an ipBlock against a pod's IP, which no manifest
 * holds; netpol knows where pods live only when told (`--pod-cidr`). Without it an ipBlock matches no pod
 * (it is read as the cluster-external addresses it is usually written for). With it, an ipBlock allows a
 * pod only if it covers every pod address: each pod CIDR inside `cidr` and outside every `except` — a
 * block that covers some pod addresses would allow some pods and not others, and netpol never says
 * "allowed" for traffic the cluster may drop.
 */
import ipaddr from 'ipaddr.js';

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses CIDRs, naming the first one that is not. */
export function parseCidrs(values: string[]): { cidrs: Cidr[]; bad?: string } {
  const cidrs: Cidr[] = [];
  for (const value of values) {
    try {
      cidrs.push(ipaddr.parseCIDR(value.trim()));
    } catch {
      return { cidrs, bad: value };
    }
  }
  return { cidrs };
}

/** Whether `inner` lies wholly inside `outer`. */
function inside(inner: Cidr, outer: Cidr): boolean {
  return inner[0].kind() === outer[0].kind() && inner[1] >= outer[1] && inner[0].match(outer as never);
}

/** Whether two CIDRs share an address (then one contains the other). */
function overlap(a: Cidr, b: Cidr): boolean {
  return inside(a, b) || inside(b, a);
}

export function ipBlockCoversPods(ipBlock: unknown, podCidrs: Cidr[]): boolean {
  if (podCidrs.length === 0 || typeof ipBlock !== 'object' || ipBlock === null) return false;
  const block = ipBlock as { cidr?: unknown; except?: unknown };
  if (typeof block.cidr !== 'string') return false;
  const {
    cidrs: [cidr],
    bad,
  } = parseCidrs([block.cidr]);
  if (bad || !cidr) return false;
  const except = parseCidrs(Array.isArray(block.except) ? block.except.map(String) : []).cidrs;
  return podCidrs.every((pods) => inside(pods, cidr) && !except.some((e) => overlap(e, pods)));
}

export type { Cidr };
