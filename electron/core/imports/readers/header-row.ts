import type { TableRow } from '../preset-types';

/**
 * Finds the header among the first rows of a sheet or CSV. Exports often put a title, an export
 * banner, blank rows or merged group headings ("Identity", "Ownership") above the real header. The
 * real header is the widest row: the first row with at least 80 % as many filled cells as the
 * fullest row of the sample. Titles and banners fill one cell, group headings a few, and a data row
 * is never above the header.
 */
export const HEADER_SAMPLE_ROWS = 50;

export function chooseHeaderRow(rows: readonly TableRow[]): number {
  let fullest = 0;
  const filled = rows.map((row) =>
    row.cells.reduce((count, cell) => count + (cell.trim() === '' ? 0 : 1), 0),
  );
  for (const count of filled) fullest = Math.max(fullest, count);
  if (fullest === 0) return -1;
  const threshold = Math.max(1, Math.ceil(fullest * 0.8));
  return filled.findIndex((count) => count >= threshold);
}

/** Header names trimmed (and a stray BOM dropped); empty columns after the last named one are not columns. */
export function cleanHeader(cells: readonly string[]): string[] {
  const header = cells.map((cell, index) => (index === 0 ? cell.replace(/^\uFEFF/, '') : cell).trim());
  let width = header.length;
  while (width > 0 && header[width - 1] === '') width -= 1;
  return header.slice(0, width);
}

export function isBlankRow(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}
