// The terminal's ag-grid look: one dark theme (colours from styles.css) with a density per grid; modules registered once.
import {
  CellStyleModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  ModuleRegistry,
  RenderApiModule,
  NumberFilterModule,
  RowApiModule,
  RowSelectionModule,
  ScrollApiModule,
  RowStyleModule,
  TextFilterModule,
  TooltipModule,
  colorSchemeDark,
  themeQuartz,
  type Module,
} from 'ag-grid-community';

/**
 * Only the grid features the panels use (AllCommunityModule was two thirds of the bundle). The core already brings
 * sorting, column move/resize/pin, overlays and keyboard navigation. A feature used without its module makes ag-grid
 * log "error #200"; tests/e2e/grid-modules.e2e.test.ts exercises every grid and fails on it.
 */
export const GRID_MODULES: Module[] = [
  ClientSideRowModelModule, // rowData
  RowSelectionModule, // rowSelection, node.setSelected
  RowStyleModule, // rowClassRules
  CellStyleModule, // colDef.cellClass
  TooltipModule, // tooltipField, headerTooltip, tooltipShowDelay
  TextFilterModule, // scanner: filter: true / agTextColumnFilter
  NumberFilterModule, // scanner: agNumberColumnFilter
  ColumnApiModule, // scanner: getColumnState / applyColumnState (saved grid state)
  RowApiModule, // getDisplayedRowAtIndex, getDisplayedRowCount (keyboard selection)
  ScrollApiModule, // scanner: ensureIndexVisible (ArrowDown from the watchlist focuses the first row)
  RenderApiModule, // scanner: refreshCells (quote age and completeness tick without new row data)
];
ModuleRegistry.registerModules(GRID_MODULES);

export interface GridDensity {
  rowHeight: number;
  headerHeight: number;
  spacing: number;
  cellHorizontalPadding: number;
}

export function terminalGridTheme(density: GridDensity) {
  return themeQuartz.withPart(colorSchemeDark).withParams({
    backgroundColor: '#11151d',
    foregroundColor: '#d6dbe4',
    headerBackgroundColor: '#171c26',
    headerTextColor: '#8a93a3',
    borderColor: '#232a36',
    rowBorder: { color: '#1a202b' },
    accentColor: '#4c8dff',
    selectedRowBackgroundColor: 'rgba(76, 141, 255, 0.18)',
    fontSize: 12,
    headerFontSize: 11,
    fontFamily: 'inherit',
    ...density,
  });
}
