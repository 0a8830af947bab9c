/** @module The Kubernetes core models Slipway renders (one import point, so the rest stays library-free). */
export { DaemonSet, Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
export { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
export { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
export { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
export { ConfigMap, Namespace, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
export { CronJob } from 'kubernetes-models/batch/v1';
