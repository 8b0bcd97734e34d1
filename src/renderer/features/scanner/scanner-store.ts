// The scanner panel's state: the form, the running scan's progress and its ranked rows, fed by scan.* events.
import { create } from 'zustand';
import { DEFAULT_WHAT_IF_TOP, type ScanProgress, type ScanResults, type ScanRow, type ScannerForm } from '../../../core/contract';
import { ResultsAssembler } from '../../../core/scanner/delta';
import type { PlatformClient } from '../../platform/client';
import { useSelectionStore } from '../../stores/selection-store';

export const DEFAULT_FORM: ScannerForm = {
  symbols: ['SPY', 'QQQ', 'IWM'],
  filters: { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 45 }, shortDelta: { min: 0.15, max: 0.3 }, width: { min: 1, max: 10 } },
  scoring: { by: 'ror', basis: 'mid' },
  topPerSymbol: 50,
  top: 100,
  minPerSymbol: 3,
  whatIfTop: DEFAULT_WHAT_IF_TOP,
};

/** Rows reach the grid at most this often (10 Hz), whatever the event rate. */
const ROWS_INTERVAL_MS = 100;

export interface ScannerState {
  form: ScannerForm;
  /** The form came from settings (or defaults once settings are known). */
  formLoaded: boolean;
  scanId: string | null;
  starting: boolean;
  progress: ScanProgress | null;
  rows: ScanRow[];
  evaluated: number;
  passed: number;
  final: boolean;
  resultsAt: number | null;
  /** Re-quote the rows on screen every N seconds after a scan completes; null = off. */
  autoRefreshSec: number | null;
  /** The last scan was started with auto-refresh and has not been stopped. */
  refreshing: boolean;
  setForm(form: ScannerForm): void;
  loadForm(form: ScannerForm | undefined): void;
}

export const useScannerStore = create<ScannerState>((set, get) => ({
  form: DEFAULT_FORM,
  formLoaded: false,
  scanId: null,
  starting: false,
  progress: null,
  rows: [],
  evaluated: 0,
  passed: 0,
  final: false,
  resultsAt: null,
  autoRefreshSec: null,
  refreshing: false,
  setForm(form) {
    set({ form });
  },
  loadForm(form) {
    if (get().formLoaded) return;
    set({ form: form ?? DEFAULT_FORM, formLoaded: true });
  },
}));

export function isRunning(p: ScanProgress | null): boolean {
  return p !== null && (p.state === 'planning' || p.state === 'quoting');
}

/** Subscribes the store to scan events (results throttled to 10 Hz) and loads the latest state; returns an unsubscribe. */
export function bindScannerStore(client: PlatformClient): () => void {
  let pending: ScanResults | null = null;
  // Frames are deltas by fingerprint: every frame is assembled (even those the 10 Hz throttle skips showing).
  const assembler = new ResultsAssembler();
  let assembled: ScanRow[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastApplied = 0;
  const apply = () => {
    timer = null;
    const r = pending;
    pending = null;
    if (!r) return;
    lastApplied = Date.now();
    const s = useScannerStore.getState();
    if (s.scanId !== null && r.scanId !== s.scanId) return;
    useScannerStore.setState({ rows: assembled, evaluated: r.evaluated, passed: r.passed, final: r.final, resultsAt: r.at, scanId: r.scanId });
    useSelectionStore.getState().refresh(assembled);
  };
  const offs = [
    client.on('scan.progress', (p) => {
      const s = useScannerStore.getState();
      if (s.scanId !== null && p.scanId !== s.scanId && !s.starting) return;
      useScannerStore.setState({ progress: p, scanId: p.scanId });
    }),
    client.on('scan.results', (r) => {
      try {
        assembled = assembler.apply(r);
      } catch {
        // A frame was lost (the delta names a row never received): take the full state instead.
        void client.invoke('scan.latest', {}).then((res) => {
          if (res.ok && res.value.results?.scanId === r.scanId) assembled = assembler.apply(res.value.results);
        });
        return;
      }
      pending = r;
      if (timer) return;
      // The final results go out at once; the rest at most every ROWS_INTERVAL_MS.
      timer = setTimeout(apply, r.final ? 0 : Math.max(0, lastApplied + ROWS_INTERVAL_MS - Date.now()));
    }),
  ];
  void client.invoke('scan.latest', {}).then((res) => {
    if (!res.ok) return;
    const { progress, results } = res.value;
    if (progress) useScannerStore.setState({ progress, scanId: progress.scanId });
    if (results && (!progress || results.scanId === progress.scanId)) assembled = assembler.apply(results);
    if (results && (!progress || results.scanId === progress.scanId)) useScannerStore.setState({ rows: results.rows, evaluated: results.evaluated, passed: results.passed, final: results.final, resultsAt: results.at });
  });
  return () => {
    offs.forEach((off) => off());
    if (timer) clearTimeout(timer);
  };
}
