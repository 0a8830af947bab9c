/** @module Every lint rule, in the order they are documented. */
import type { Rule } from '../rule.js';
import { antiAffinity } from './anti-affinity.js';
import { cpuRequests } from './cpu-requests.js';
import { criticalMaxUnavailable } from './critical-max-unavailable.js';
import { dangerousCapabilities } from './dangerous-capabilities.js';
import { defaultNamespace } from './default-namespace.js';
import { deprecatedApi } from './deprecated-api.js';
import { hostNamespaces } from './host-namespaces.js';
import { hostPath } from './host-path.js';
import { hostPort } from './host-port.js';
import { hpaMinReplicas } from './hpa-min-replicas.js';
import { imagePullPolicy } from './image-pull-policy.js';
import { imageTagRule } from './image-tag.js';
import { livenessEqualsReadiness } from './liveness-equals-readiness.js';
import { livenessProbe } from './liveness-probe.js';
import { memoryLimit } from './memory-limit.js';
import { memoryRequests } from './memory-requests.js';
import { minReplicas } from './min-replicas.js';
import { noContainers } from './no-containers.js';
import { networkPolicyMissing } from './network-policy-missing.js';
import { pdbBlocksEviction } from './pdb-blocks-eviction.js';
import { pdbMissing } from './pdb-missing.js';
import { plainEnvSecret } from './plain-env-secret.js';
import { privilegeEscalation } from './privilege-escalation.js';
import { privileged } from './privileged.js';
import { probePort } from './probe-port.js';
import { readOnlyRootFilesystem } from './read-only-root-filesystem.js';
import { readinessProbe } from './readiness-probe.js';
import { rollingUpdateStrategy } from './rolling-update-strategy.js';
import { runAsNonRoot } from './run-as-non-root.js';
import { scaleTarget } from './scale-target.js';
import { seccompProfile } from './seccomp-profile.js';
import { serviceAccountToken } from './service-account-token.js';
import { serviceSelector } from './service-selector.js';
import { sloMissing } from './slo-missing.js';

export const RULES: readonly Rule[] = [
  noContainers,
  readinessProbe,
  livenessProbe,
  probePort,
  livenessEqualsReadiness,
  cpuRequests,
  memoryRequests,
  memoryLimit,
  imageTagRule,
  imagePullPolicy,
  runAsNonRoot,
  readOnlyRootFilesystem,
  privileged,
  privilegeEscalation,
  dangerousCapabilities,
  hostPath,
  hostNamespaces,
  hostPort,
  seccompProfile,
  plainEnvSecret,
  serviceAccountToken,
  pdbMissing,
  pdbBlocksEviction,
  minReplicas,
  antiAffinity,
  criticalMaxUnavailable,
  rollingUpdateStrategy,
  networkPolicyMissing,
  serviceSelector,
  hpaMinReplicas,
  scaleTarget,
  sloMissing,
  deprecatedApi,
  defaultNamespace,
];
