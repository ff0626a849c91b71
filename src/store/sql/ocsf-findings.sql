-- OCSF findings in legible's terms, one row per lake row, from the fields one of the ocsf-*-fields.sql
-- files names (the relation ocsf_fields). As legible reads Security Hub's own exports (ASFF):
--   check     the compliance control (else the control id the title starts with), the CVE of a
--             vulnerability, the type of a detection; else the title
--   status    the compliance status (PASS, FAIL, WARNING → manual, OTHER / NOT_AVAILABLE → skip); a
--             vulnerability or detection reports a problem: fail. Suppressed: skip. Resolved or closed:
--             skip and closed, unless it passes (Security Hub resolves a passing control by itself)
--   problem   why the row cannot be an observation (it is counted and reported, not kept)
SELECT
  source_file,
  source_row,
  check_id AS "check",
  status,
  observed_ms,
  resource,
  severity,
  CASE WHEN why IS NULL THEN detail WHEN detail IS NULL THEN why ELSE why || ': ' || detail END AS message,
  title,
  identity,
  closed,
  target,
  category,
  requirements,
  CASE
    WHEN check_id IS NULL THEN 'the finding names no control, vulnerability, type or title'
    WHEN status IS NULL AND verdict IS NULL THEN 'a compliance finding without a compliance status'
    WHEN status IS NULL THEN 'unknown compliance status ' || verdict
    WHEN observed_ms IS NULL THEN 'the finding has no time'
  END AS problem
FROM (
  SELECT
    source_file,
    source_row,
    observed_ms,
    requirements,
    verdict,
    closed,
    CASE
      WHEN class_uid = 2002 THEN coalesce(cve, title)
      WHEN class_uid = 2004 THEN coalesce(finding_type, title)
      ELSE coalesce(control, title_control, cve, title, finding_type)
    END AS check_id,
    CASE
      WHEN suppressed = 1 THEN 'skip'
      WHEN closed IS NOT NULL AND verdict = 'PASS' THEN 'pass'
      WHEN closed IS NOT NULL THEN 'skip'
      WHEN verdict = 'PASS' THEN 'pass'
      WHEN verdict = 'FAIL' THEN 'fail'
      WHEN verdict = 'WARNING' THEN 'manual'
      WHEN verdict IN ('OTHER', 'UNKNOWN', 'NOT_AVAILABLE') THEN 'skip'
      WHEN verdict IS NULL AND class_uid <> 2003 THEN 'fail'
    END AS status,
    CASE
      WHEN suppressed = 1 THEN 'suppressed (status Suppressed)'
      WHEN closed IS NOT NULL AND verdict = 'PASS' THEN NULL
      WHEN closed IS NOT NULL THEN closed
      WHEN verdict IN ('OTHER', 'UNKNOWN', 'NOT_AVAILABLE') THEN 'the control could not be evaluated (' || verdict || ')'
    END AS why,
    detail,
    resource,
    CASE
      WHEN lower(severity) IN ('critical', 'fatal') THEN 'critical'
      WHEN lower(severity) IN ('high', 'medium', 'low') THEN lower(severity)
      WHEN lower(severity) IN ('informational', 'info') THEN 'info'
      WHEN severity_id = 1 THEN 'info'
      WHEN severity_id = 2 THEN 'low'
      WHEN severity_id = 3 THEN 'medium'
      WHEN severity_id = 4 THEN 'high'
      WHEN severity_id IN (5, 6) THEN 'critical'
    END AS severity,
    title,
    identity,
    CASE
      WHEN account IS NULL THEN NULL
      WHEN cloud_region IS NULL THEN lower(coalesce(provider, 'aws')) || ' account ' || account
      ELSE lower(coalesce(provider, 'aws')) || ' account ' || account || ' ' || cloud_region
    END AS target,
    CASE
      WHEN class_uid = 2003 THEN 'compliance'
      WHEN class_uid = 2002 OR cve IS NOT NULL THEN 'vulnerability'
      WHEN verdict IS NOT NULL THEN 'compliance'
      ELSE 'detection'
    END AS category
  FROM (
    SELECT
      source_file,
      source_row,
      class_uid,
      observed_ms,
      requirements,
      nullif(control, '') AS control,
      nullif(regexp_extract(replace(finding_title, '[', ''), '^([A-Za-z0-9-]+([.][0-9]+)+)', 1), '') AS title_control,
      nullif(cve, '') AS cve,
      nullif(finding_type, '') AS finding_type,
      nullif(finding_title, '') AS title,
      nullif(finding_uid, '') AS identity,
      coalesce(nullif(resource_uid, ''), nullif(resource_name, '')) AS resource,
      nullif(account, '') AS account,
      nullif(cloud_region, '') AS cloud_region,
      provider,
      severity,
      severity_id,
      coalesce(status_detail, message) AS detail,
      coalesce(
        CASE upper(compliance_status)
          WHEN 'PASSED' THEN 'PASS'
          WHEN 'FAILED' THEN 'FAIL'
          ELSE upper(compliance_status)
        END,
        CASE compliance_status_id WHEN 0 THEN 'UNKNOWN' WHEN 1 THEN 'PASS' WHEN 2 THEN 'WARNING' WHEN 3 THEN 'FAIL' WHEN 99 THEN 'OTHER' END
      ) AS verdict,
      CASE WHEN finding_status_id = 3 OR upper(finding_status) = 'SUPPRESSED' THEN 1 ELSE 0 END AS suppressed,
      CASE
        WHEN activity_id = 3 THEN 'closed (activity Close)'
        WHEN finding_status_id = 4 OR upper(finding_status) = 'RESOLVED' THEN 'resolved (status Resolved)'
      END AS closed
    FROM ocsf_fields
  ) named
) judged
