// Test and benchmark support for the scanner: the paper exchange on a worker thread (paper/thread.ts), queried for
// fresh statistics (the scanner tests compare what the exchange saw with what the scanner planned).
import type { ClientStats } from '../../paper/index';
import { type PaperSnapshot, type PaperThread, type PaperThreadOptions, startPaperThread } from '../../paper/thread';

export type PaperWorkerStats = PaperSnapshot;

export interface PaperWorker extends Omit<PaperThread, 'stats'> {
  /** Fresh statistics from the thread (not the last push). */
  stats(): Promise<PaperSnapshot>;
  /** The exchange's view of one client: messages in, pacing violations, lines held. */
  client(clientId: number): Promise<ClientStats | undefined>;
}

export async function startPaperWorker(options: PaperThreadOptions = {}): Promise<PaperWorker> {
  const thread = await startPaperThread(options);
  return {
    ...thread,
    stats: () => thread.snapshot(),
    client: async (clientId) => (await thread.snapshot()).clients.find((c) => c.clientId === clientId),
  };
}
