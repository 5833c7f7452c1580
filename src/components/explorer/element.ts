import type { Database } from '../../lib/db.ts';
import { datasetFiles, datasetSources, featuresTable, type ExplorerData, type ExplorerDataset } from '../../lib/explorer-data.ts';
import { featuresByNameQuery } from '../../lib/sql/features.ts';
import { searchFeaturesQuery, type FeatureMatch } from '../../lib/sql/search.ts';
import { parseState, stateToSearch, STATE_LIMITS, type ExplorerState, type StateContext } from '../../lib/url-state.ts';
import { SearchBox } from './search-box.ts';
import type { ResultTable, ViewResult } from './views.ts';

type Views = typeof import('./views.ts');

/**
 * The explorer island: state lives in the URL, the controls render from it, and every change runs the current view
 * on the page's one duckdb-wasm database.
 */
export class MetanexusExplorer extends HTMLElement {
  private data!: ExplorerData;
  private ctx!: StateContext;
  private state!: ExplorerState;
  private db?: Promise<Database>;
  private views?: Promise<Views>;
  private token = 0;
  private renders = 0;
  private result?: ViewResult;
  private readonly labels = new Map<string, string>();
  private readonly boxes: SearchBox[] = [];

  connectedCallback(): void {
    this.data = JSON.parse(this.querySelector('script[data-explorer-data]')!.textContent!);
    this.ctx = { datasets: this.data.datasets.map((d) => ({ id: d.id, bacteria: d.bacteria.map((b) => b.id) })) };
    this.readUrl();
    this.wire();
    window.addEventListener('popstate', () => {
      this.readUrl();
      this.refresh();
    });
    this.refresh();
  }

  /** The dataset the state selects. */
  private get current(): ExplorerDataset {
    return this.data.datasets.find((d) => d.id === this.state.dataset)!;
  }

  private readUrl(): void {
    const { state, notices } = parseState(location.search, this.ctx);
    this.state = state;
    this.showNotices(notices);
  }

  /** The folder holding the data files, from the page (it knows the site's base path). */
  private get dataUrl(): URL {
    return new URL(this.dataset.dataUrl!, location.href);
  }

  /** duckdb-wasm, Plot and the views load on first use, after the prerendered page is on screen. */
  private database(): Promise<Database> {
    this.db ??= import('../../lib/db.ts').then((m) => m.openDatabase(this.dataUrl));
    this.db.catch(() => (this.db = undefined));
    return this.db;
  }

  /** The views and Plot, imported once: even a settled import() resolves only a task later. */
  private loadViews(): Promise<Views> {
    this.views ??= import('./views.ts');
    this.views.catch(() => (this.views = undefined));
    return this.views;
  }

  /** Applies a change, records it in the URL (a new history entry for selections), and re-runs the view. */
  private update(change: (s: ExplorerState) => void, { push = true } = {}): void {
    const next = structuredClone(this.state);
    change(next);
    this.state = next;
    const url = `${location.pathname}${stateToSearch(next)}${location.hash}`;
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
    this.showNotices([]);
    this.refresh();
  }

  private $(selector: string): HTMLElement {
    return this.querySelector<HTMLElement>(selector)!;
  }

  private wire(): void {
    this.querySelectorAll<HTMLButtonElement>('[data-control=dataset] [role=tab]').forEach((tab) =>
      tab.addEventListener('click', () =>
        this.update((s) => {
          // Selections belong to a dataset: switching starts afresh, but keeps view, type and Show.
          const fresh = parseState(`?ds=${encodeURIComponent(tab.value)}`, this.ctx).state;
          Object.assign(s, { dataset: tab.value, network: fresh.network, cooccurrence: { ...fresh.cooccurrence, mode: s.cooccurrence.mode } });
          s.landscape = { ...fresh.landscape, show: s.landscape.show, n: s.landscape.n };
        }),
      ),
    );
    this.querySelectorAll<HTMLButtonElement>('[data-control=view] [role=tab]').forEach((tab) =>
      tab.addEventListener('click', () => this.update((s) => void (s.view = tab.value as ExplorerState['view']))),
    );
    this.tabKeys('[data-control=dataset]');
    this.tabKeys('[data-control=view]');
    this.$('[data-control=type]').addEventListener('change', (e) =>
      this.update((s) => void (s.type = (e.target as HTMLSelectElement).value as ExplorerState['type'])),
    );
    this.$('[data-control=landscape-bacterium]').addEventListener('change', (e) => {
      const id = (e.target as HTMLSelectElement).value;
      this.update((s) => Object.assign(s.landscape, { bacterium: id || null, metabolite: null }));
    });
    this.querySelectorAll<HTMLInputElement>('[data-control=show] input').forEach((radio) =>
      radio.addEventListener('change', () => this.update((s) => void (s.landscape.show = radio.value as ExplorerState['landscape']['show']))),
    );
    // Live as the reader types; a half-typed or empty number waits for the next keystroke.
    this.$('[data-control=n]').addEventListener('input', (e) => {
      const input = e.target as HTMLInputElement;
      const n = Math.round(Number(input.value));
      const { min, max } = STATE_LIMITS.n;
      if (input.value === '' || !Number.isFinite(n) || n === this.state.landscape.n) return;
      this.update((s) => void (s.landscape.n = Math.min(max, Math.max(min, n))), { push: false });
    });
    this.querySelectorAll<HTMLInputElement>('[data-control=mode] input').forEach((radio) =>
      radio.addEventListener('change', () => this.update((s) => void (s.cooccurrence.mode = radio.value as ExplorerState['cooccurrence']['mode']))),
    );
    for (const [control, list, limit] of [
      ['network-bacterium', 'network', STATE_LIMITS.networkBacteria],
      ['cooccurrence-bacterium', 'cooccurrence', STATE_LIMITS.cooccurrenceBacteria],
    ] as const) {
      this.$(`[data-control=${control}]`).addEventListener('change', (e) => {
        const select = e.target as HTMLSelectElement;
        const id = select.value;
        select.value = '';
        if (id) this.update((s) => void (s[list].bacteria = [...new Set([...s[list].bacteria, id])].slice(0, limit)));
      });
    }
    this.addEventListener('click', (event) => {
      const remove = (event.target as Element).closest<HTMLButtonElement>('[data-remove]');
      if (!remove) return;
      const [list, id] = [remove.dataset.remove!, remove.value];
      this.update((s) => {
        if (list === 'network-bacteria') s.network.bacteria = s.network.bacteria.filter((x) => x !== id);
        if (list === 'network-metabolites') s.network.metabolites = s.network.metabolites.filter((x) => x !== id);
        if (list === 'cooccurrence-bacteria') s.cooccurrence.bacteria = s.cooccurrence.bacteria.filter((x) => x !== id);
      });
    });
    const search = (text: string) => this.search(text);
    const remember = (m: FeatureMatch) => this.labels.set(`${this.state.dataset}\u0000${m.name}`, m.label);
    this.boxes.push(
      new SearchBox(this.$('[data-search=landscape]'), search, (m) => {
        remember(m);
        this.update((s) => Object.assign(s.landscape, { metabolite: m.name, bacterium: null }));
      }),
      new SearchBox(this.$('[data-search=network]'), search, (m) => {
        remember(m);
        this.update((s) => {
          s.network.metabolites = [...new Set([...s.network.metabolites, m.name])].slice(0, STATE_LIMITS.networkMetabolites);
        });
        (this.$('[data-search=network] input') as HTMLInputElement).value = '';
      }),
    );
    this.$('[data-action=download]').addEventListener('click', () => void this.download());
    this.$('[data-action=copy-link]').addEventListener('click', () => {
      void navigator.clipboard?.writeText(location.href).then(
        () => (this.$('[data-action=copy-link]').textContent = 'Link copied'),
        () => {},
      );
    });
  }

  /** Arrow keys move between tabs, as the ARIA tabs pattern expects. */
  private tabKeys(selector: string): void {
    const list = this.$(selector);
    list.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const tabs = [...list.querySelectorAll<HTMLButtonElement>('[role=tab]')];
      const at = tabs.indexOf(document.activeElement as HTMLButtonElement);
      const next = tabs[(at + (event.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length];
      next?.focus();
      next?.click();
    });
  }

  private async search(text: string): Promise<FeatureMatch[]> {
    const db = await this.database();
    const d = this.current;
    await db.materialize(featuresTable(d), d.files.features);
    return db.query<FeatureMatch>(
      searchFeaturesQuery(datasetSources(d).features, { text, type: this.state.type }),
      datasetFiles(d),
    );
  }

  private label(feature: string): string {
    return this.labels.get(`${this.state.dataset}\u0000${feature}`) ?? feature;
  }

  /** Fetches labels of selected features restored from a URL, so chips and the search box read as names. */
  private async loadLabels(db: Database): Promise<void> {
    const d = this.current;
    const wanted = [this.state.landscape.metabolite, ...this.state.network.metabolites].filter(
      (f): f is string => f !== null && !this.labels.has(`${d.id}\u0000${f}`),
    );
    if (wanted.length === 0) return;
    await db.materialize(featuresTable(d), d.files.features);
    const rows = await db.query<{ name: string; label: string }>(featuresByNameQuery(datasetSources(d).features, wanted), datasetFiles(d));
    for (const r of rows) this.labels.set(`${d.id}\u0000${r.name}`, r.label);
  }

  private renderControls(): void {
    const s = this.state;
    const d = this.current;
    for (const [selector, value] of [
      ['[data-control=dataset]', s.dataset],
      ['[data-control=view]', s.view],
    ] as const) {
      this.querySelectorAll<HTMLButtonElement>(`${selector} [role=tab]`).forEach((tab) => {
        const selected = tab.value === value;
        tab.setAttribute('aria-selected', String(selected));
        tab.tabIndex = selected ? 0 : -1;
      });
    }
    this.querySelectorAll<HTMLElement>('[data-panel]').forEach((panel) => (panel.hidden = panel.dataset.panel !== s.view));
    (this.$('[data-control=type]') as HTMLSelectElement).value = s.type;
    for (const control of ['landscape-bacterium', 'network-bacterium', 'cooccurrence-bacterium']) {
      const select = this.$(`[data-control=${control}]`) as HTMLSelectElement;
      if (select.dataset.dataset !== d.id) {
        select.dataset.dataset = d.id;
        const blank = new Option(control === 'landscape-bacterium' ? '— none —' : 'Add a bacterium…', '');
        select.replaceChildren(blank, ...[...d.bacteria].sort((a, b) => a.name.localeCompare(b.name)).map((b) => new Option(b.name, b.id)));
      }
    }
    (this.$('[data-control=landscape-bacterium]') as HTMLSelectElement).value = s.landscape.bacterium ?? '';
    this.boxes[0]!.value = s.landscape.metabolite ? this.label(s.landscape.metabolite) : '';
    this.querySelectorAll<HTMLInputElement>('[data-control=show] input').forEach((r) => (r.checked = r.value === s.landscape.show));
    (this.$('[data-control=n]') as HTMLInputElement).value = String(s.landscape.n);
    this.querySelectorAll<HTMLInputElement>('[data-control=mode] input').forEach((r) => (r.checked = r.value === s.cooccurrence.mode));
    const name = (id: string) => d.bacteria.find((b) => b.id === id)?.name ?? id;
    this.chips('network-bacteria', s.network.bacteria, name);
    this.chips('network-metabolites', s.network.metabolites, (f) => this.label(f));
    this.chips('cooccurrence-bacteria', s.cooccurrence.bacteria, name);
  }

  private chips(list: string, ids: string[], label: (id: string) => string): void {
    this.$(`[data-chips=${list}]`).replaceChildren(
      ...ids.map((id) => {
        const li = document.createElement('li');
        li.dataset.id = id;
        const text = document.createElement('span');
        text.textContent = label(id);
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.value = id;
        remove.dataset.remove = list;
        remove.textContent = '×';
        remove.setAttribute('aria-label', `Remove ${label(id)}`);
        li.append(text, remove);
        return li;
      }),
    );
  }

  private showNotices(notices: string[]): void {
    const list = this.$('[data-notices]');
    list.replaceChildren(
      ...notices.map((n) => {
        const li = document.createElement('li');
        li.textContent = n;
        return li;
      }),
    );
  }

  private setStatus(state: 'loading' | 'ready' | 'empty' | 'error', text: string): void {
    this.dataset.state = state;
    this.$('[data-status]').textContent = text;
  }

  /** Renders the controls at once, then runs the view; only the latest run may draw. */
  private async refresh(): Promise<void> {
    this.renderControls();
    const token = ++this.token;
    const figure = this.$('[data-chart]');
    figure.setAttribute('aria-busy', 'true');
    this.setStatus('loading', this.db ? 'Loading…' : 'Starting the data engine…');
    try {
      // The views (and Plot) load alongside the engine, not after it.
      const [db, { runView }] = await Promise.all([this.database(), this.loadViews()]);
      this.dataset.engine = 'ready';
      for (const box of this.boxes) box.disabled = false;
      await this.loadLabels(db);
      if (token !== this.token) return;
      this.renderControls();
      const result = await runView(db, this.current, this.state, Math.max(320, figure.clientWidth || 800));
      if (token !== this.token) return;
      this.draw(result);
    } catch (error) {
      if (token !== this.token) return;
      this.result = undefined;
      figure.replaceChildren();
      this.renderTable(undefined);
      this.setStatus('error', `Could not load data: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (token === this.token) {
        figure.removeAttribute('aria-busy');
        this.dataset.renders = String(++this.renders);
      }
    }
  }

  private draw(result: ViewResult): void {
    this.result = result;
    const figure = this.$('[data-chart]');
    if (result.message || !result.chart) {
      figure.replaceChildren();
      this.renderTable(undefined);
      this.setStatus('empty', result.message ?? 'No data for this selection');
      return;
    }
    figure.replaceChildren(result.chart);
    this.renderTable(result.table);
    this.setStatus('ready', result.summary);
  }

  private renderTable(table: ResultTable | undefined): void {
    const el = this.$('[data-result-table]') as HTMLTableElement;
    (this.$('[data-action=download]') as HTMLButtonElement).disabled = !table;
    this.$('[data-table-wrap]').hidden = !table;
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

  private async download(): Promise<void> {
    if (!this.result?.table) return;
    const { default: Papa } = await import('papaparse');
    const csv = Papa.unparse(this.result.table.csv());
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `metanexus-${(this.result.fileName ?? 'data').replace(/[^A-Za-z0-9._-]+/g, '_')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

customElements.define('metanexus-explorer', MetanexusExplorer);
