-- OCSF 1.1 findings as a Security Lake source version 2 holds them (classes 2002 Vulnerability Finding,
-- 2003 Compliance Finding, 2004 Detection Finding): the fields legible reads, under the names
-- ocsf-findings.sql expects. Reads the relation ocsf_findings: the lake's rows with its partition
-- columns (region, accountid) and two columns saying where each row came from, source_file and
-- source_row (constants where the engine cannot tell). Portable SQL: see README, "The security lake
-- as an input", for the subset and the few dialect differences.
SELECT
  source_file,
  source_row,
  class_uid,
  activity_id,
  finding_info.uid AS finding_uid,
  finding_info.title AS finding_title,
  finding_info.types[1] AS finding_type,
  compliance.control AS control,
  compliance.requirements AS requirements,
  compliance.status AS compliance_status,
  compliance.status_id AS compliance_status_id,
  compliance.status_detail AS status_detail,
  status AS finding_status,
  status_id AS finding_status_id,
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
