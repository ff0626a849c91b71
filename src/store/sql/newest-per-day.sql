-- The reduction: the newest observation of each finding per day and status, in legible's native
-- columns (observed_at in epoch milliseconds). A lake keeps a finding's every update; an audit reads
-- its state day by day. Keeping each day's newest failing and newest passing observation keeps every
-- day a finding failed and every fix, in a fraction of the rows. Reads findings (ocsf-findings.sql);
-- rows with a problem are left out. Within one source_file when legible reads the lake (so that each
-- file keeps its own rows), across the whole lake where source_file is a constant.
SELECT
  source_file,
  source_row,
  "check",
  status,
  observed_ms AS observed_at,
  resource,
  severity,
  message,
  title,
  identity,
  closed,
  target,
  category,
  requirements
FROM (
  SELECT
    findings.*,
    row_number() OVER (
      PARTITION BY source_file, target, "check", coalesce(identity, resource, ''), floor(observed_ms / 86400000), status
      ORDER BY observed_ms DESC, source_row DESC, message, title, severity, closed
    ) AS newest
  FROM findings
  WHERE problem IS NULL
) ranked
WHERE newest = 1
