// The chunk behind lazy-panels.tsx: the three work panels and, through them, ag-grid and the charts.
export { ScannerPanel } from '../features/scanner/ScannerPanel';
export { TicketPanel } from '../features/ticket/TicketPanel';
export { BottomTabs } from '../features/shell/BottomTabs';
