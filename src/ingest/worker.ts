/**
 * A parse worker: reads the bundles of files it is given with the build's settings (sent once, as
 * workerData) and posts their results back; check results travel through staging files. How many
 * bytes it has parsed and how many records it found so far it writes to its own slot of a shared
 * buffer, for the progress display.
 */
import { workerData } from 'piscina';
import { parsedSoFar } from '../parse/parser.js';
import { createIngester } from './ingest-file.js';
import { catalogFor, type Ingested, type IngestTask } from './result.js';
import { ingestBundle, progressSlots, type WorkerData } from './pool.js';

const { settings, progress } = workerData as WorkerData;
const ingest = createIngester(settings, catalogFor(settings));
const slots = progressSlots(progress);
const slot = Atomics.add(slots.claimed, 0, 1);
const report = () => {
  const so = parsedSoFar();
  slots.bytes[slot] = so.bytes;
  slots.records[slot] = so.records;
};
setInterval(report, 200).unref();

export default async function ingestInWorker(tasks: IngestTask[]): Promise<Ingested[]> {
  const results = await ingestBundle(tasks, ingest, settings.stagingDir);
  report();
  return results;
}
