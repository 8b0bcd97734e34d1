// The selected spread: the scanner publishes the row the trader picked; the Ticket reads it and opens it on Enter.
import { create } from 'zustand';
import type { ScanRow } from '../../core/contract';

export interface SelectionState {
  /** The scanner row under the cursor, kept current as its quotes refresh (same fingerprint, new numbers). */
  selected: ScanRow | null;
  /** Set when the trader asks to open a row in the Ticket (Enter or the button); `seq` grows on every request. */
  ticketRequest: { row: ScanRow; seq: number; at: number } | null;
  select(row: ScanRow | null): void;
  /** Replaces the selected row with a fresher version of the same spread, if it is the one selected. */
  refresh(rows: readonly ScanRow[]): void;
  openInTicket(row: ScanRow): void;
}

export const useSelectionStore = create<SelectionState>((set, get) => ({
  selected: null,
  ticketRequest: null,
  select(row) {
    if (get().selected?.fingerprint === row?.fingerprint && get().selected === row) return;
    set({ selected: row });
  },
  refresh(rows) {
    const current = get().selected;
    if (!current) return;
    const fresh = rows.find((r) => r.fingerprint === current.fingerprint);
    if (fresh && fresh !== current) set({ selected: fresh });
  },
  openInTicket(row) {
    set((s) => ({ selected: row, ticketRequest: { row, seq: (s.ticketRequest?.seq ?? 0) + 1, at: Date.now() } }));
  },
}));
