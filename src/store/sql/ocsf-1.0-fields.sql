-- OCSF 1.0 Security Findings (class 2001) as a Security Lake source version 1 holds them: the fields
-- legible reads, under the names ocsf-findings.sql expects. A 1.0 finding names its control only at the
-- start of its title (ocsf-findings.sql reads it there) and its lifecycle as state, not status. Reads
-- ocsf_findings as ocsf-1.1-fields.sql does.
SELECT
  source_file,
  source_row,
  class_uid,
  activity_id,
  finding.uid AS finding_uid,
  finding.title AS finding_title,
  finding.types[1] AS finding_type,
  NULL AS control,
  compliance.requirements AS requirements,
  compliance.status AS compliance_status,
  NULL AS compliance_status_id,
  compliance.status_detail AS status_detail,
  state AS finding_status,
  state_id AS finding_status_id,
  vulnerabilities[1].cve.uid AS cve,
  resources[1].uid AS resource_uid,
  resources[1].name AS resource_name,
  cloud.provider AS provider,
  coalesce(cloud.account.uid, accountid) AS account,
  coalesce(cloud.region, region) AS cloud_region,
  coalesce(time, epoch_ms(time_dt)) AS observed_ms,
  severity,
  severity_id,
  message
FROM ocsf_findings
