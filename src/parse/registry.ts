import type { Parser } from './parser.js';
import { noteParser } from './note.js';
import { sarifParser } from './formats/sarif.js';
import { trivyParser } from './formats/trivy.js';
import { checkovParser } from './formats/checkov.js';
import { hdfParser, inspecParser } from './formats/inspec.js';
import { junitParser } from './formats/junit.js';
import { kubeBenchParser } from './formats/kube-bench.js';
import { scoutsuiteParser } from './formats/scoutsuite.js';
import { oscalAssessmentResultsParser } from './formats/oscal.js';
import { prowlerOcsfParser } from './formats/prowler-ocsf.js';
import { prowlerCsvParser } from './formats/prowler-csv.js';
import { prowlerJsonParser } from './formats/prowler-json.js';
import { asffParser } from './formats/asff.js';
import { nativeCsvParser } from './native/csv.js';
import { nativeJsonParser } from './native/json.js';
import { nativeJsonlParser } from './native/jsonl.js';
import { nativeXlsxParser } from './native/xlsx.js';

/** Every format legible reads, in one place. Order breaks ties between equally sure detections. */
export const parsers = [noteParser, sarifParser, trivyParser, checkovParser, inspecParser, hdfParser, junitParser, kubeBenchParser, scoutsuiteParser, oscalAssessmentResultsParser, prowlerOcsfParser, prowlerCsvParser, prowlerJsonParser, asffParser, nativeJsonParser, nativeJsonlParser, nativeCsvParser, nativeXlsxParser] as const satisfies readonly Parser[];
