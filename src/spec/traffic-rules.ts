/**
 * @module The analysis-template keys whose rules judge request counts (the sequential error test, the
 * error-rate ceiling, the latency rules): one list for the loop, the plan and the spec rules.
 */
export const TRAFFIC_RULE_KEYS = ['errorRate', 'latencyP95', 'latencyP99', 'sequential'] as const;

/** Whether a template — typed, or the raw YAML a spec rule reads — has a rule on request counts. */
export const judgesTraffic = (template: object) =>
  TRAFFIC_RULE_KEYS.some((k) => (template as Record<string, unknown>)[k] !== undefined);
