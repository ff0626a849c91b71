/**
 * The progress line of a long build on a terminal: files, bytes and records read with an estimate of
 * the time left, then documents rendered. Nothing is drawn where output is not a terminal (CI, pipes,
 * --quiet, --json): there the summary at the end says it all.
 */
import cliProgress from 'cli-progress';
import type { Progress } from '../pipeline.js';

const MB = 1024 * 1024;

export interface ProgressDisplay {
  update(progress: Progress): void;
  stop(): void;
}

export function progressDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: (options, params, payload: { text: string; eta: boolean }) =>
        `${cliProgress.Format.BarFormat(params.progress, options)} ${Math.round(params.progress * 100)}% | ${payload.text}${payload.eta && params.value < params.total ? `, ETA ${formatEta(params.eta)}` : ''}`,
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 30,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let stage: Progress['stage'] | undefined;
  return {
    update(p) {
      if (p.stage !== stage) {
        if (stage) bar.stop();
        stage = p.stage;
        bar.start(p.stage === 'read' ? Math.max(1, p.totalBytes) : p.totalDocuments, 0, { text: '', eta: false });
      }
      if (p.stage === 'read') {
        bar.update(p.bytes, {
          text: `reading ${p.files}/${p.totalFiles} files, ${(p.bytes / MB).toFixed(1)}/${(p.totalBytes / MB).toFixed(1)} MB, ${p.records.toLocaleString('en')} records`,
          eta: true,
        });
      } else {
        bar.update(p.documents, { text: `rendered ${p.documents}/${p.totalDocuments} documents`, eta: false });
      }
    },
    stop() {
      if (stage) bar.stop();
    },
  };
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '…';
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s` : `${Math.round(seconds)}s`;
}
