// The terminal's ag-grid look: one dark theme (colours from styles.css) with a density per grid; modules registered once.
import { AllCommunityModule, ModuleRegistry, colorSchemeDark, themeQuartz } from 'ag-grid-community';

ModuleRegistry.registerModules([AllCommunityModule]);

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
