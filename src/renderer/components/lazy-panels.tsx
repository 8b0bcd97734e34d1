// The work panels (Scanner, Ticket, bottom tabs) as a separate chunk: the shell paints first, the panels follow.
// ag-grid and lightweight-charts are ~70% of the renderer's JS; nothing of them is needed to paint the header, the
// status bar and the frame. The chunk is requested when this module runs (before React renders), so it downloads while
// the shell's own JS is still being parsed. `npm run bench -- startup` prints both first paint and panels-ready.
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';

const panels = import('./panels');

function fromChunk<K extends 'ScannerPanel' | 'TicketPanel' | 'BottomTabs'>(name: K) {
  return lazy(async () => ({ default: (await panels)[name] as ComponentType }));
}

const Scanner = fromChunk('ScannerPanel');
const Ticket = fromChunk('TicketPanel');
const Tabs = fromChunk('BottomTabs');

/** What a panel shows for the few hundred milliseconds its chunk takes: its frame and title, no fake content. */
function PanelLoading({ title }: { title: string }) {
  return (
    <section className="panel" aria-label={title} aria-busy="true" data-testid="panel-loading">
      <header className="panel-title">
        <h2>{title}</h2>
      </header>
      <div className="panel-body" />
    </section>
  );
}

function Deferred({ title, children }: { title: string; children: ReactNode }) {
  return <Suspense fallback={<PanelLoading title={title} />}>{children}</Suspense>;
}

export function LazyScannerPanel() {
  return (
    <Deferred title="Scanner">
      <Scanner />
    </Deferred>
  );
}

export function LazyTicketPanel() {
  return (
    <Deferred title="Ticket">
      <Ticket />
    </Deferred>
  );
}

export function LazyBottomTabs() {
  return (
    <Deferred title="Account activity">
      <Tabs />
    </Deferred>
  );
}
