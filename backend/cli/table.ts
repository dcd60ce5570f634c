/** The answer of /api/v1/aggregate as people and spreadsheets read it. */
export interface Table {
  columns: Array<{ name: string; type: string }>;
  rows: Array<Array<string | number | null>>;
}

function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  // Control characters in a value must not drive the terminal.
  return value.replace(/[\x00-\x1f\x7f]/g, '?');
}

/** Aligned columns under a header; numbers right-aligned, a missing number as `-`. */
export function renderTable(table: Table): string {
  const header = table.columns.map((c) => c.name);
  const body = table.rows.map((row) => row.map((v) => (v === null ? '-' : cell(v))));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((text, i) =>
        table.columns[i].type === 'number' ? text.padStart(widths[i]) : text.padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** RFC 4180: a header line, fields quoted when they hold a comma, quote or line break; null empty. */
export function renderCsv(table: Table): string {
  const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = [table.columns.map((c) => quote(c.name)).join(',')];
  for (const row of table.rows) lines.push(row.map((v) => quote(v === null ? '' : String(v))).join(','));
  return lines.join('\n');
}

/** One JSON object per row, keyed by column name (for jq and scripts). */
export function renderJsonLines(table: Table): string {
  return table.rows
    .map((row) => JSON.stringify(Object.fromEntries(table.columns.map((c, i) => [c.name, row[i]]))))
    .join('\n');
}
