import { isAbsolute, relative, sep } from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import type { Evaluation } from '../model/evaluation.js';
import type { Diagnostic, InputSummary } from '../model/types.js';
import type { WrittenFile } from './write.js';
import type { Redaction } from '../redact/redact.js';

export interface ManifestOptions {
  version: string;
  asOf: string;
  organization: string;
  scope: string;
  inputs: InputSummary[];
  evaluation: Evaluation;
  diagnostics: Diagnostic[];
  outputs: WrittenFile[];
  redactions: Redaction[];
  configuration: ReturnType<typeof manifestConfiguration>;
}

/**
 * The files the build was configured with, each with its SHA-256: the config (none when the defaults
 * were used) and the crosswalk. Paths are relative to the evidence folder, as the inputs' are.
 */
export function manifestConfiguration(config: Pick<ResolvedConfig, 'configFile' | 'configSha256' | 'crosswalk' | 'evidenceDir'>) {
  const fromEvidence = (path: string) => {
    const rel = relative(config.evidenceDir, path);
    return isAbsolute(rel) ? rel : rel.split(sep).join('/');
  };
  const { crosswalk } = config;
  return {
    config: config.configFile && config.configSha256 ? { path: fromEvidence(config.configFile), sha256: config.configSha256 } : null,
    crosswalk: { name: crosswalk.name, path: crosswalk.path ? fromEvidence(crosswalk.path) : null, sha256: crosswalk.sha256, pairs: crosswalk.pairs },
  };
}

/** The machine-readable record of a build: every input, every control's status and why, every output. */
export function buildManifest(o: ManifestOptions) {
  return {
    tool: { name: 'legible', version: o.version },
    asOf: o.asOf,
    ...(o.evaluation.period ? { period: o.evaluation.period } : {}),
    organization: o.organization,
    scope: o.scope,
    configuration: o.configuration,
    inputs: o.inputs.map((i) => ({
      path: i.file.path,
      sha256: i.file.sha256 || null,
      bytes: i.file.bytes,
      format: i.format,
      accepted: i.accepted,
      reason: i.reason ?? null,
      records: i.records,
      invalidRecords: i.invalidRecords ?? 0,
    })),
    controls: o.evaluation.controls.map((c) => ({
      framework: c.framework,
      id: c.id,
      title: c.title,
      status: c.status,
      reasons: c.reasons,
      evidence: c.evidence,
      latestEvidence: c.latestEvidence ?? null,
      checks: c.checks.counts,
      failing: c.checks.failing.map((f) => ({ check: f.check, resource: f.resource ?? null, severity: f.severity ?? null, file: f.file })),
      // Failed when last observed, resolved since (closed by the tool, or gone from a newer scan of the same target).
      resolved: c.checks.resolved.count,
      ...(c.period
        ? {
            period: {
              status: c.period.status,
              reasons: c.period.reasons,
              deviations: c.period.deviations,
              deviationCount: c.period.deviationCount,
              population: c.period.population,
            },
          }
        : {}),
    })),
    findings: {
      total: o.evaluation.findings.total,
      counts: o.evaluation.findings.counts,
      failingBySeverity: o.evaluation.findings.failingBySeverity,
      resolved: o.evaluation.findings.resolved,
    },
    remediation: o.evaluation.remediation,
    ...(o.evaluation.trend ? { trend: o.evaluation.trend } : {}),
    outputs: o.outputs.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes })),
    // Secrets found in the evidence and cut from every output: where, and what kind, so they can be rotated.
    redactions: o.redactions.map((r) => ({ file: r.file, line: r.line ?? null, field: r.field, kind: r.kind })),
    diagnostics: o.diagnostics.map((d) => ({
      file: d.file ?? null,
      code: d.code,
      severity: d.severity,
      message: d.message,
      ...(d.place ? { place: d.place } : {}),
    })),
  };
}

export type Manifest = ReturnType<typeof buildManifest>;
