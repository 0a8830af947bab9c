/** @module Env, files and the config hash of a service's pods; secrets only as references. */
import { createHash } from 'node:crypto';
import { ANNOTATION } from './k8s-object.js';
import { metadata } from './labels.js';
import type { K8sObject } from './k8s-object.js';
import type { ServiceView } from './service-view.js';
import {
  secretProviderClass,
  type VaultReference,
  vaultEnv,
  vaultMount,
  vaultObjectName,
  vaultVolume,
} from './vault-secrets.js';

export interface PodConfig {
  env: Record<string, unknown>[];
  volumes: Record<string, unknown>[];
  mounts: Record<string, unknown>[];
  /** The ConfigMap of inline files, when there are any. */
  configMap: K8sObject | undefined;
  /** The SecretProviderClass of the service's Vault references, when there are any. */
  secretProviderClass: K8sObject | undefined;
  podAnnotations: Record<string, string>;
  /** Reloader annotations for the workload itself. */
  workloadAnnotations: Record<string, string>;
}

/** `/usr/local/etc/redis/redis.conf` → `usr-local-etc-redis-redis.conf`: a valid ConfigMap key. */
function fileKey(path: string): string {
  return path.replace(/^\/+/, '').replace(/[^A-Za-z0-9._-]/g, '-');
}

export function podConfig(view: ServiceView): PodConfig {
  const config = view.service.config;
  const env: Record<string, unknown>[] = [];
  const references: string[] = [];
  const vault: VaultReference[] = [];
  const secretsUsed = new Set<string>();
  const configMapsUsed = new Set<string>();
  // Spec order, not sorted: Kubernetes expands $(VAR) only from variables defined earlier in the list.
  for (const [name, value] of Object.entries(config?.env ?? {})) {
    if (typeof value !== 'object') {
      env.push({ name, value: String(value) });
    } else if (value.value !== undefined) {
      env.push({ name, value: String(value.value) });
    } else if (value.secretRef) {
      env.push({
        name,
        valueFrom: { secretKeyRef: { name: value.secretRef.name, key: value.secretRef.key } },
      });
      references.push(`secret:${value.secretRef.name}/${value.secretRef.key}`);
      secretsUsed.add(value.secretRef.name);
    } else if (value.configMapRef) {
      env.push({
        name,
        valueFrom: { configMapKeyRef: { name: value.configMapRef.name, key: value.configMapRef.key } },
      });
      references.push(`configmap:${value.configMapRef.name}/${value.configMapRef.key}`);
      configMapsUsed.add(value.configMapRef.name);
    } else if (value.fieldRef) {
      env.push({ name, valueFrom: { fieldRef: { fieldPath: value.fieldRef } } });
    } else if (value.vault) {
      const ref = { env: name, path: value.vault.path, key: value.vault.key };
      vault.push(ref);
      env.push(vaultEnv(view, ref));
      references.push(`vault:${value.vault.path}/${value.vault.key}`);
    }
  }

  const volumes: Record<string, unknown>[] = [];
  const mounts: Record<string, unknown>[] = [];
  const inline: Record<string, string> = {};
  const filesName = `${view.name}-files`;
  for (const [path, file] of Object.entries(config?.files ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const index = volumes.length;
    if (file.content !== undefined) {
      inline[fileKey(path)] = file.content;
      mounts.push({ name: 'files', mountPath: path, subPath: fileKey(path), readOnly: true });
      continue;
    }
    const source = file.configMap
      ? { configMap: { name: file.configMap.name } }
      : { secret: { secretName: file.secret!.name } };
    const key = file.configMap?.key ?? file.secret?.key;
    const volumeName = `file-${index}`;
    volumes.push({ name: volumeName, ...source });
    mounts.push({ name: volumeName, mountPath: path, readOnly: true, ...(key ? { subPath: key } : {}) });
    if (file.configMap) configMapsUsed.add(file.configMap.name);
    else secretsUsed.add(file.secret!.name);
    references.push(file.configMap ? `configmap:${file.configMap.name}` : `secret:${file.secret!.name}`);
  }
  let configMap: K8sObject | undefined;
  if (Object.keys(inline).length > 0) {
    configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(view, filesName), data: inline };
    volumes.unshift({ name: 'files', configMap: { name: filesName } });
  }

  const hash = createHash('sha256')
    .update(JSON.stringify({ env, inline, references }))
    .digest('hex')
    .slice(0, 16);
  const podAnnotations: Record<string, string> = { [ANNOTATION.configHash]: hash };
  let spc: K8sObject | undefined;
  if (vault.length > 0) {
    spc = secretProviderClass(view, vault);
    volumes.push(vaultVolume(view));
    mounts.push(vaultMount);
    secretsUsed.add(vaultObjectName(view));
  }
  const workloadAnnotations = reloadAnnotations(view, secretsUsed, configMapsUsed);
  return {
    env,
    volumes,
    mounts,
    configMap,
    secretProviderClass: spc,
    podAnnotations,
    workloadAnnotations,
  };
}

/**
 * The hash covers what the spec knows; a referenced Secret's *content* changes outside it, so with
 * reloadOnChange (the default) the workload asks Reloader to roll it when those objects change.
 */
function reloadAnnotations(view: ServiceView, secrets: Set<string>, configMaps: Set<string>) {
  if (view.service.config?.reloadOnChange === false) return {};
  const out: Record<string, string> = {};
  if (secrets.size > 0) out['secret.reloader.stakater.com/reload'] = [...secrets].sort().join(',');
  if (configMaps.size > 0) out['configmap.reloader.stakater.com/reload'] = [...configMaps].sort().join(',');
  return out;
}
