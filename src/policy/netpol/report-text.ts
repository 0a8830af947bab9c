/** @module The netpol report as text, and the connectivity matrix. */
import type { NetpolReport } from './analyze.js';

export function reportText(report: NetpolReport, scope: string): string {
  const lines: string[] = [`${scope}: ${report.pods.length} workload(s)`];
  if (report.dropped.length > 0) {
    lines.push(`  declared calls that the policies drop (${report.dropped.length}):`);
    for (const d of report.dropped)
      lines.push(
        `    ${d.source} → ${d.destination} (dependsOn ${d.service}) on ${d.ports.join(', ')}: ${d.reason}`,
      );
  }
  if (report.dnsBlocked.length > 0) {
    lines.push(
      `  DNS blocked — egress to kube-dns port 53 is not allowed for (${report.dnsBlocked.length}):`,
    );
    for (const id of report.dnsBlocked) lines.push(`    ${id}`);
  }
  if (report.unresolved.length > 0) {
    lines.push(`  declared calls to services not in the input (${report.unresolved.length}):`);
    for (const u of report.unresolved) lines.push(`    ${u.source} → ${u.service}`);
  }
  if (report.undeclared.length > 0) {
    const paths = report.undeclared.reduce((n, u) => n + (u.sources ?? 1), 0);
    lines.push(`  allowed paths nobody declared (${paths}):`);
    for (const u of report.undeclared)
      lines.push(`    ${u.source} → ${u.destination} on ${u.ports.join(', ')}`);
    const listed = report.undeclared.reduce((n, u) => n + (u.sources ?? 1), 0);
    if (listed !== report.undeclared.length)
      lines.push(
        `    (${listed} workload-to-workload paths in all; --json lists the summaries, --matrix every pair)`,
      );
  }
  if (report.dropped.length + report.dnsBlocked.length + report.undeclared.length === 0)
    lines.push('  every declared call is allowed and nothing else is');
  return lines.join('\n');
}

/** Every allowed connection and the rule on each side that allows it (or that the side is not isolated). */
export function explainText(report: NetpolReport): string {
  const explained = report.explained ?? [];
  const lines = [`  allowed connections and why (${explained.length}):`];
  for (const e of explained)
    lines.push(`    ${e.source} → ${e.destination} ${e.port}: egress ${e.egress}; ingress ${e.ingress}`);
  return lines.join('\n');
}

/** Rows are sources, columns destinations; a cell lists the reachable ports, `-` when none. */
export function matrixText(report: NetpolReport): string {
  const ids = report.pods;
  const short = (id: string) => id.split('/').pop()!;
  const cell = (from: string, to: string) => {
    const ports = report.matrix?.get(from)?.get(to) ?? [];
    return ports.length === 0 ? '-' : ports.map((p) => p.split(' ')[0]).join(',');
  };
  const header = ['from \\ to', ...ids.map(short)];
  const rows = ids.map((from) => [short(from), ...ids.map((to) => cell(from, to))]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
