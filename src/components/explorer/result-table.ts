import type { ResultTable } from '../../views/view.ts';

/** Draws the numbers behind a chart into `el` (a table), or empties it when there are none. */
export function renderResultTable(el: HTMLTableElement, table: ResultTable | undefined): void {
  if (!table) return el.replaceChildren();
  const head = document.createElement('thead');
  const headRow = head.insertRow();
  for (const c of table.columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c.label;
    if (c.numeric) th.className = 'num';
    headRow.append(th);
  }
  const body = document.createElement('tbody');
  for (const row of table.rows) {
    const tr = body.insertRow();
    for (const [k, v] of Object.entries(row.attrs)) tr.dataset[k] = v;
    for (const c of table.columns) {
      const td = tr.insertCell();
      td.textContent = row.cells[c.key] ?? '';
      if (c.numeric) td.className = 'num';
      const value = row.values?.[c.key];
      if (value !== undefined) td.dataset.value = value === null ? 'null' : String(value);
    }
  }
  el.dataset.rows = String(table.total);
  const caption = document.createElement('caption');
  caption.textContent =
    table.rows.length < table.total
      ? `First ${table.rows.length} of ${table.total.toLocaleString('en-US')} rows; download the CSV for all.`
      : `${table.total.toLocaleString('en-US')} rows`;
  el.replaceChildren(caption, head, body);
}

/** Saves every row of the table as `metanexus-<name>.csv` (papaparse quotes and escapes the fields). */
export async function downloadCsv(table: ResultTable, name: string): Promise<void> {
  const { default: Papa } = await import('papaparse');
  const csv = Papa.unparse(table.csv());
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `metanexus-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
