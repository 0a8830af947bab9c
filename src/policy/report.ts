/** @module Lint findings as text (compiler style), JSON, or SARIF 2.1.0 for code-scanning tools. */
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { objectKey } from '../render/object-access.js';
import { countBySeverity, type Finding, type LintResult } from './lint.js';
import { fixFor, type Severity } from './rule.js';

/** The same finding on the same spec line for several clusters is one finding, listing where. */
export interface GroupedFinding extends Finding {
  where: string[];
}

export function groupFindings(findings: Finding[]): GroupedFinding[] {
  const groups = new Map<string, GroupedFinding>();
  for (const f of findings) {
    const key = [
      f.rule.id,
      f.file,
      f.line,
      f.column,
      f.message,
      objectKey(f.subject.object),
      f.suppressed ?? '',
    ].join('\u0000');
    const group = groups.get(key);
    const where = f.subject.origin.scope;
    if (group) {
      if (where && !group.where.includes(where)) group.where.push(where);
    } else groups.set(key, { ...f, where: where ? [where] : [] });
  }
  return [...groups.values()];
}

export function textReport(result: LintResult, showSuppressed = false): string {
  const lines: string[] = [];
  const grouped = groupFindings(result.findings);
  for (const f of grouped) {
    if (f.suppressed && !showSuppressed) continue;
    const template = f.subject.origin.detail ? ` from ${f.subject.origin.detail}` : '';
    const where = `${template}${f.where.length > 0 ? ` [${f.where.join(', ')}]` : ''}`;
    lines.push(
      `${f.file}:${f.line}:${f.column}: ${f.suppressed ? 'suppressed' : f.severity} ${f.rule.id}: ${f.message} (${objectKey(f.subject.object)})${where}`,
    );
    if (f.suppressed) lines.push(`  reason: ${f.suppressed}`);
    else {
      lines.push(`  why: ${f.rule.rationale}`);
      lines.push(`  fix: ${fixFor(f.rule, f.subject.object)}`);
    }
  }
  const counts = countBySeverity(result.findings);
  const suppressed = result.findings.filter((f) => f.suppressed).length;
  const unchecked = Object.entries(result.unchecked);
  const skipped = unchecked.reduce((n, [, count]) => n + count, 0);
  lines.push(
    `${result.objects - skipped} object(s) checked by ${result.rules.length} rules: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info, ${suppressed} suppressed`,
  );
  if (skipped > 0)
    lines.push(
      `${skipped} more of kinds no rule checks beyond apiVersion and namespace: ${unchecked.map(([k, n]) => `${k} (${n})`).join(', ')}`,
    );
  return lines.join('\n');
}

export function jsonReport(result: LintResult): unknown {
  return {
    objects: result.objects,
    ...(Object.keys(result.unchecked).length > 0 ? { uncheckedKinds: result.unchecked } : {}),
    summary: {
      ...countBySeverity(result.findings),
      suppressed: result.findings.filter((f) => f.suppressed).length,
    },
    findings: groupFindings(result.findings).map((f) => ({
      rule: f.rule.id,
      severity: f.severity,
      message: f.message,
      object: objectKey(f.subject.object),
      file: f.file,
      line: f.line,
      column: f.column,
      fix: fixFor(f.rule, f.subject.object),
      ...(f.where.length > 0 ? { where: f.where } : {}),
      ...(f.suppressed ? { suppressed: f.suppressed } : {}),
    })),
  };
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** A file path as a SARIF artifact URI: relative paths stay relative (to %SRCROOT%), separators are `/`. */
function artifactUri(file: string): string {
  return encodeURI(file.split('\\').join('/'));
}

export function sarifReport(result: LintResult, version: string): Log {
  const rules: ReportingDescriptor[] = result.rules.map((rule) => ({
    id: rule.id,
    // SARIF wants a readable name different from the opaque id: the title in PascalCase.
    name: rule.title
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: { text: rule.manifestFix ? `${rule.fix} In plain manifests: ${rule.manifestFix}` : rule.fix },
    defaultConfiguration: { level: LEVEL[rule.severity] },
  }));
  const index = new Map(result.rules.map((r, i) => [r.id, i]));
  const results: Result[] = groupFindings(result.findings).map((f) => ({
    ruleId: f.rule.id,
    ruleIndex: index.get(f.rule.id) ?? 0,
    level: LEVEL[f.severity],
    message: {
      text: `${f.message} (${objectKey(f.subject.object)})${f.where.length > 0 ? ` in ${f.where.join(', ')}` : ''}.`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: {
            uri: artifactUri(f.file),
            ...(f.file.startsWith('/') ? {} : { uriBaseId: '%SRCROOT%' }),
          },
          region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) },
        },
        logicalLocations: [{ name: objectKey(f.subject.object), kind: 'object' }],
      },
    ],
    ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressed }] } : {}),
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'slipway',
            informationUri: 'https://slipway.dev/docs/lint',
            semanticVersion: version,
            rules,
          },
        },
        results,
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
}
