import { compareBytes } from '../../lib/byte-order.ts';
import type { Database } from '../../lib/db.ts';
import { csvRowsSelect, exportColumns } from '../../lib/sql/export.ts';
import { formatCount } from '../../lib/format.ts';
import type { LandscapePick } from '../../views/links.ts';
import type { ResultTable, TableRow } from '../../views/view.ts';
import { saveFile } from './save-file.ts';

/** Rows on one page of the table. */
export const PAGE_ROWS = 100;

type Direction = 'ascending' | 'descending';

/**
 * A sort key of a row: the number behind a numeric cell (NULL last in both directions), else its text in byte order,
 * as DuckDB sorts strings, so that a sorted table reads as the SQL `ORDER BY` would.
 */
function compareRows(key: string, numeric: boolean, direction: Direction) {
  const sign = direction === 'ascending' ? 1 : -1;
  return (a: { row: TableRow; i: number }, b: { row: TableRow; i: number }) => {
    if (numeric) {
      const [x, y] = [a.row.values?.[key] ?? null, b.row.values?.[key] ?? null];
      if (x === null || y === null) return x === y ? a.i - b.i : x === null ? 1 : -1;
      return sign * (x - y) || a.i - b.i;
    }
    return sign * compareBytes(a.row.cells[key] ?? '', b.row.cells[key] ?? '') || a.i - b.i;
  };
}

/** What a row's first cell links to: the Landscape of its feature, else of its bacterium. */
function pickOf(row: TableRow): LandscapePick | undefined {
  if (row.attrs.feature !== undefined) return { metabolite: row.attrs.feature };
  if (row.attrs.bacterium !== undefined) return { bacterium: row.attrs.bacterium };
  return undefined;
}

/**
 * The table under a chart: every row of the result, a page at a time, sortable by any column (a click on its header;
 * again to reverse), with the first cell of each row a link to the Landscape of its feature or bacterium, and any cell
 * the row gives a link of its own one too.
 */
export class ResultTableView {
  private table?: ResultTable;
  private order?: number[];
  private sort?: { key: string; direction: Direction };
  private page = 0;

  constructor(
    private readonly el: HTMLTableElement,
    private readonly pager: HTMLElement,
    private readonly href: (pick: LandscapePick) => string,
  ) {
    pager.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-page]');
      if (!button || !this.table) return;
      this.page = Number(button.dataset.page);
      this.draw();
    });
  }

  /** Shows a new result, unsorted, on its first page; nothing for none. */
  show(table: ResultTable | undefined): void {
    this.table = table;
    this.order = undefined;
    this.sort = undefined;
    this.page = 0;
    this.draw();
  }

  /** Sorts by `key`, or reverses the sort when it is already by `key`. */
  sortBy(key: string): void {
    const table = this.table;
    if (!table) return;
    const direction = this.sort?.key === key && this.sort.direction === 'ascending' ? 'descending' : 'ascending';
    const numeric = table.columns.find((c) => c.key === key)?.numeric ?? false;
    const rows = Array.from({ length: table.total }, (_, i) => ({ row: table.row(i), i }));
    this.order = rows.sort(compareRows(key, numeric, direction)).map((r) => r.i);
    this.sort = { key, direction };
    this.page = 0;
    this.draw();
  }

  private draw(): void {
    const { el, pager, table } = this;
    if (!table) {
      el.replaceChildren();
      pager.replaceChildren();
      return;
    }
    const head = document.createElement('thead');
    const headRow = head.insertRow();
    for (const c of table.columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      if (c.numeric) th.className = 'num';
      th.setAttribute('aria-sort', this.sort?.key === c.key ? this.sort.direction : 'none');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = c.label;
      button.addEventListener('click', () => this.sortBy(c.key));
      th.append(button);
      headRow.append(th);
    }
    const body = document.createElement('tbody');
    const pages = Math.max(1, Math.ceil(table.total / PAGE_ROWS));
    this.page = Math.min(this.page, pages - 1);
    const first = this.page * PAGE_ROWS;
    const last = Math.min(table.total, first + PAGE_ROWS);
    for (let k = first; k < last; k++) this.drawRow(body, table, table.row(this.order?.[k] ?? k));
    el.dataset.rows = String(table.total);
    const caption = document.createElement('caption');
    caption.textContent =
      table.total <= PAGE_ROWS
        ? `${formatCount(table.total)} ${table.total === 1 ? 'row' : 'rows'}`
        : `Rows ${formatCount(first + 1)}–${formatCount(last)} of ${formatCount(table.total)}`;
    el.replaceChildren(caption, head, body);
    this.drawPager(pages);
  }

  private drawRow(body: HTMLTableSectionElement, table: ResultTable, row: TableRow): void {
    const tr = body.insertRow();
    for (const [k, v] of Object.entries(row.attrs)) tr.dataset[k] = v;
    const pick = pickOf(row);
    table.columns.forEach((c, col) => {
      const td = tr.insertCell();
      const text = row.cells[c.key] ?? '';
      const href = col === 0 && pick ? this.href(pick) : row.links?.[c.key];
      if (href) {
        const a = document.createElement('a');
        a.href = href;
        a.textContent = text;
        td.append(a);
      } else {
        td.textContent = text;
      }
      if (c.numeric) td.className = 'num';
      if (c.key === 'feature') td.className = 'id';
      const value = row.values?.[c.key];
      if (value !== undefined) td.dataset.value = value === null ? 'null' : String(value);
    });
  }

  private drawPager(pages: number): void {
    if (pages <= 1) return this.pager.replaceChildren();
    const button = (label: string, page: number, disabled: boolean) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.dataset.page = String(page);
      b.disabled = disabled;
      return b;
    };
    const where = document.createElement('span');
    where.textContent = `Page ${this.page + 1} of ${formatCount(pages)}`;
    this.pager.replaceChildren(
      button('« First', 0, this.page === 0),
      button('‹ Previous', this.page - 1, this.page === 0),
      where,
      button('Next ›', this.page + 1, this.page === pages - 1),
      button('Last »', pages - 1, this.page === pages - 1),
    );
  }
}

/** Every row of the table as CSV text (papaparse quotes and escapes the fields), with its rows. */
async function csvOf(table: ResultTable) {
  const { default: Papa } = await import('papaparse');
  const rows = table.csv();
  return { rows, text: Papa.unparse(rows) };
}

/** Saves every row of the table as `metanexus-<name>.csv`. */
export async function downloadCsv(table: ResultTable, name: string): Promise<void> {
  saveFile(new Blob([(await csvOf(table)).text], { type: 'text/csv' }), `${name}.csv`);
}

/**
 * Saves the rows of the CSV download as `metanexus-<name>.parquet`, made by duckdb-wasm from that very CSV text,
 * so that the two files hold the same rows (numbers as DOUBLE, text as VARCHAR).
 */
export async function downloadParquet(table: ResultTable, name: string, db: Database): Promise<void> {
  const { rows, text } = await csvOf(table);
  const columns = exportColumns(rows);
  const bytes = await db.copyTo('parquet', ([csv]) => csvRowsSelect(csv!, columns), { texts: [text] });
  saveFile(new Blob([bytes], { type: 'application/vnd.apache.parquet' }), `${name}.parquet`);
}
