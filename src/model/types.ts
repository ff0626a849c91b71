/**
 * The one normalized data model shared by every stage of the pipeline:
 * collect → parse → map → evaluate → render.
 */

export type FrameworkId = 'iso27001-2022' | 'soc2-2017';

/** Where a problem sits inside a file: a 1-based line/column, a JSON pointer, or a workbook cell. */
export interface Place {
  line?: number;
  column?: number;
  pointer?: string;
  cell?: string;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem with an input or the configuration, kept as data (like a vfile message). */
export interface Diagnostic {
  /** Stable identifier, e.g. `note/front-matter-invalid`; never changes meaning. */
  code: string;
  severity: Severity;
  /** Human message; does not repeat the place. */
  message: string;
  /** Path relative to the evidence folder (`/` separators), or the config file. */
  file?: string;
  place?: Place;
  hint?: string;
}

/** What a file looked like when collected: enough to tell that it has not changed since. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}

/** One file found in the evidence folder. */
export interface InputFile {
  /** Relative to the evidence folder, `/` separators. */
  path: string;
  absolutePath: string;
  sha256: string;
  bytes: number;
}

export type CheckStatus = 'pass' | 'fail' | 'error' | 'skip' | 'manual';
export type NoteKind = 'practice' | 'policy' | 'exception';
export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Where a mapping of a record to a control came from. */
export type MappingSource = 'explicit' | 'tool' | 'default-rule' | 'config-rule' | 'crosswalk';

export interface ControlRef {
  framework: FrameworkId;
  id: string;
}

export interface ControlMapping extends ControlRef {
  source: MappingSource;
  /** Why: the rule, tag or crosswalk entry that produced the mapping. */
  via?: string;
}

interface RecordBase {
  /** The input file this record came from (relative path). */
  file: string;
  /** Position of the record inside its file. */
  place?: Place;
  /** Control ids as written in the evidence, before resolution. */
  rawControls: string[];
  /** Resolved mappings (filled by the map stage). */
  controls: ControlMapping[];
}

/** One automated check result / finding, whatever tool produced it. */
export interface CheckRecord extends RecordBase {
  type: 'check';
  format: string;
  check: string;
  title?: string;
  status: CheckStatus;
  /** ISO 8601 instant, or undefined when the tool gave no date. */
  observedAt?: string;
  resource?: string;
  severity?: FindingSeverity;
  message?: string;
  tool?: string;
  toolVersion?: string;
  /** What kind of finding this is, for default mappings and for readers. */
  category?: CheckCategory;
  /** Classifiers the tool gave (CWE-79, OWASP A03:2021, CIS 1.4, …), for default mapping rules. */
  tags?: string[];
  /** Where in the scanned thing the finding sits (file:line, package@version, …). */
  location?: string;
  /**
   * What the tool scanned, when its output is a snapshot of it (a cloud account and region, an image or
   * repository without its tag, a test suite): a newer snapshot of the same target and scope that no
   * longer reports a failing finding resolves it. Absent: the record is an observation on its own.
   */
  target?: string;
  /** What the scan covered of its target (Trivy's scanners, a SARIF run's category): snapshots of another scope never resolve each other's findings. */
  scope?: string;
  /**
   * What tells this finding apart within its target and check when the resource does not, or tells too
   * much: a SARIF fingerprint, a package without its version, an image without its tag. Absent: the resource.
   */
  identity?: string;
  /** The tool itself marked the finding closed (Security Hub: RecordState ARCHIVED, Workflow.Status RESOLVED), in its words. */
  closed?: string;
}

export type CheckCategory = 'vulnerability' | 'misconfiguration' | 'secret' | 'code' | 'test' | 'compliance' | 'detection';

/** One practitioner note (Markdown with front matter). */
export interface NoteRecord extends RecordBase {
  type: 'note';
  format: 'note';
  kind: NoteKind;
  title: string;
  author: string;
  /** YYYY-MM-DD */
  date: string;
  body: string;
  /** The file line where the (trimmed) body starts, to place findings inside it. */
  bodyLine?: number;
  /** The file lines of the title and author fields, to place findings in them. */
  titleLine?: number;
  authorLine?: number;
  /** Policy only: how often the activity must happen, in days. */
  cadenceDays?: number;
  /** Exception only: YYYY-MM-DD after which the accepted risk lapses. */
  expires?: string;
  /** Exception only: the findings it accepts (globs on the check id or resource); none: every finding of its controls. */
  covers?: string[];
}

export type EvidenceRecord = CheckRecord | NoteRecord;

/** What the parse stage says about one input file. */
export interface InputSummary {
  file: InputFile;
  /** Parser name, or `unknown` when nothing recognised the file. */
  format: string;
  accepted: boolean;
  /** Why the file was rejected; undefined when accepted. */
  reason?: string;
  /** Records read from the file (0 when rejected). */
  records: number;
  /** Records in the file that could not be used (each has a diagnostic). */
  invalidRecords?: number;
  diagnostics: Diagnostic[];
}
