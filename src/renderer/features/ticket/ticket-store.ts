// The Ticket's state: the draft being edited, the scanner row it came from (kept fresh), and the confirm step.
import { create } from 'zustand';
import type { ScanRow } from '../../../core/contract';
import { useSelectionStore } from '../../stores/selection-store';
import { EMPTY_DRAFT, draftFromRow, type TicketDraft } from './ticket-model';

export type TicketStage = 'edit' | 'confirm';

export interface TicketState {
  /** Null when no ticket is open (the panel shows its empty state). */
  draft: TicketDraft | null;
  /** The scanner row the ticket was opened from, refreshed with its newest quotes; null for manual legs. */
  row: ScanRow | null;
  stage: TicketStage;
  /** Grows with every open, so the panel can focus its first field and reset transient state. */
  openSeq: number;
  openRow(row: ScanRow): void;
  openManual(): void;
  edit(patch: Partial<TicketDraft>): void;
  setStage(stage: TicketStage): void;
  close(): void;
}

export const useTicketStore = create<TicketState>((set, get) => ({
  draft: null,
  row: null,
  stage: 'edit',
  openSeq: 0,
  openRow(row) {
    // Keep the trader's own settings (TIF, policy, exits) across tickets; legs, quantity and limit come from the row.
    set({ draft: draftFromRow(row, get().draft ?? EMPTY_DRAFT), row, stage: 'edit', openSeq: get().openSeq + 1 });
  },
  openManual() {
    const keep = get().draft ?? EMPTY_DRAFT;
    set({ draft: { ...EMPTY_DRAFT, tif: keep.tif, policy: keep.policy, walkStepSec: keep.walkStepSec, walkCapPct: keep.walkCapPct, targetPct: keep.targetPct, stopPct: keep.stopPct }, row: null, stage: 'edit', openSeq: get().openSeq + 1 });
  },
  edit(patch) {
    const d = get().draft;
    if (!d) return;
    const next = { ...d, ...patch };
    // Changing the legs detaches the ticket from the row's quotes (they would describe another spread).
    const legsChanged = ['symbol', 'expiry', 'kind', 'shortStrike', 'longStrike'].some((k) => k in patch && patch[k as keyof TicketDraft] !== d[k as keyof TicketDraft]);
    set({ draft: next, stage: 'edit', ...(legsChanged ? { row: null } : {}) });
  },
  setStage(stage) {
    set({ stage });
  },
  close() {
    set({ draft: null, row: null, stage: 'edit' });
  },
}));

/**
 * Connects the Ticket to the scanner's selection: an "Open in Ticket" request (Enter or the button) opens the
 * row here, and a fresher quote of the same spread replaces the row (not the trader's limit). Returns an unsubscribe.
 */
export function bindTicketToSelection(): () => void {
  let lastSeq = useSelectionStore.getState().ticketRequest?.seq ?? 0;
  const pending = useSelectionStore.getState().ticketRequest;
  // A request made before the panel mounted (e.g. Enter pressed while it was loading) still opens.
  if (pending && useTicketStore.getState().draft === null) useTicketStore.getState().openRow(pending.row);
  return useSelectionStore.subscribe((s) => {
    const req = s.ticketRequest;
    if (req && req.seq !== lastSeq) {
      lastSeq = req.seq;
      useTicketStore.getState().openRow(req.row);
      return;
    }
    const t = useTicketStore.getState();
    if (t.row && s.selected && s.selected.fingerprint === t.row.fingerprint && s.selected !== t.row) useTicketStore.setState({ row: s.selected });
  });
}
