// Test and benchmark support for the scanner: the paper exchange on a worker thread (one helper, in paper/thread.ts),
// queried for its own statistics. The names here are the scanner tests' own.
export { startPaperThread as startPaperWorker, type PaperThread as PaperWorker, type PaperThreadStats as PaperWorkerStats } from '../../paper/thread';
