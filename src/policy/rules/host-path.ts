/** @module No hostPath volumes (above all the container runtime socket). */
import { isWorkload, podTemplate, records } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { podPath } from './helpers.js';

const SOCKETS = /(docker|containerd|crio|cri-dockerd)\.sock$/;

export const hostPath: Rule = {
  id: 'host-path',
  severity: 'error',
  title: 'hostPath volume',
  rationale:
    'A hostPath mount reads or writes the node itself; the runtime socket (docker.sock, containerd.sock) is full control of every container on it.',
  fix: 'Use a PersistentVolumeClaim, emptyDir, ConfigMap or CSI volume; suppress with the reason for node agents that must read the host.',
  check(object) {
    const pod = podTemplate(object);
    if (!isWorkload(object) || !pod) return [];
    return records(pod.spec['volumes']).flatMap((v, i) => {
      const path = (v['hostPath'] as Record<string, unknown> | undefined)?.['path'];
      if (path === undefined) return [];
      const socket = SOCKETS.test(String(path));
      return [
        {
          message: `volume "${String(v['name'])}" mounts the host path ${String(path)}${socket ? ' (the container runtime socket)' : ''}`,
          path: [...podPath(object), 'volumes', i],
        },
      ];
    });
  },
};
