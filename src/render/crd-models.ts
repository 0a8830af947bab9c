/** @module The CRD models Slipway renders: cert-manager, Gateway API, KEDA, prometheus-operator. */
export { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1';
export { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
export { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
export {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
