import type { Columns, Database } from '../../lib/db.ts';
import { startEngine } from '../../lib/engine.ts';
import type { ExplorerData, ExplorerDataset } from '../../lib/explorer-data.ts';
import type { DirectRead } from '../../lib/answers.ts';
import { fileReader, readAnswer, type FileReader, type FileSize } from '../../lib/file-reads.ts';
import { TYPE_LABELS, type TypeFilter } from '../../lib/feature-types.ts';
import type { FeatureMatch } from '../../lib/feature-search.ts';
import { featureSearcher, type FeatureSearcher } from '../../lib/search-client.ts';
import type { StateContext } from '../../lib/url-state.ts';
import { parseState, stateToSearch, VIEWS, type ExplorerState, type ViewId } from '../../views/index.ts';
import { featureLabels } from '../../views/labels.ts';
import { landscapeSearch } from '../../views/links.ts';
import type {
  ControlApi,
  QueryContext,
  QueryResults,
  Render,
  RenderContext,
  View,
  ViewQuery,
  ViewResult,
} from '../../views/view.ts';
import { downloadPng, downloadSvg, figureSvg, type FigureText } from './figure-file.ts';
import { downloadCsv, downloadParquet, ResultTableView } from './result-table.ts';
import { SearchBox } from './search-box.ts';

// The explorer handles each view's slice of the state without knowing its shape: only the view reads it.
const views = VIEWS as unknown as readonly View<ViewId, unknown>[];
const sliceOf = (state: ExplorerState, id: ViewId) => (state as unknown as Record<ViewId, unknown>)[id];

/**
 * The explorer island, lifecycle only: state lives in the URL, each view renders its controls from it, and every
 * change runs the current view's queries on the page's one duckdb-wasm database; only the latest run may draw. Until
 * that database is ready, a view whose every query can also be read without it (`ViewQuery.direct`) is drawn from
 * those reads, and the engine starts once the chart is on screen; reads that are lookups are used even after.
 */
export class MetanexusExplorer extends HTMLElement {
  private data!: ExplorerData;
  private ctx!: StateContext;
  private state!: ExplorerState;
  private db?: Promise<Database>;
  /** The database, once started: from then on only lookups are read without it. */
  private ready?: Database;
  private reader?: FileReader;
  private featureSearch?: FeatureSearcher;
  /** Each view's renderer (and Plot), imported once: even a settled import() resolves only a task later. */
  private readonly renderers = new Map<ViewId, Promise<Render<unknown>>>();
  private token = 0;
  private renders = 0;
  private result?: ViewResult;
  private observedWidth?: number;
  /** What the chart on screen was drawn from, so a change of width redraws it without querying again. */
  private drawn?: { render: Render<unknown>; results: QueryResults; slice: unknown; ctx: RenderContext };
  private table!: ResultTableView;
  private readonly labels = new Map<string, string>();
  private readonly boxes: SearchBox[] = [];

  connectedCallback(): void {
    this.data = JSON.parse(this.querySelector('script[data-explorer-data]')!.textContent!);
    this.ctx = { datasets: this.data.datasets.map((d) => ({ id: d.id, bacteria: d.bacteria.map((b) => b.id) })) };
    this.readUrl();
    this.table = new ResultTableView(
      this.$('[data-result-table]') as HTMLTableElement,
      this.$('[data-table-pager]'),
      (pick) => `${location.pathname}${landscapeSearch(this.state.dataset, pick)}`,
    );
    this.wire();
    this.redrawOnResize();
    for (const view of views) view.wire(this.panel(view.id), this.api(view));
    // Prerendered disabled, for pages without JavaScript; a search typed before its worker has read the features file
    // waits for it.
    for (const box of this.boxes) box.disabled = false;
    window.addEventListener('popstate', () => {
      this.readUrl();
      void this.refresh();
    });
    void this.refresh();
  }

  /** The dataset the state selects. */
  private get current(): ExplorerDataset {
    return this.data.datasets.find((d) => d.id === this.state.dataset)!;
  }

  private get view(): View<ViewId, unknown> {
    return views.find((v) => v.id === this.state.view)!;
  }

  private panel(id: ViewId): HTMLElement {
    return this.$(`[data-panel=${id}]`);
  }

  private readUrl(): void {
    const { state, notices } = parseState(location.search, this.ctx);
    this.state = state;
    this.showNotices(notices);
  }

  /** The folder holding the data files. */
  private get dataUrl(): URL {
    return new URL(this.dataset.dataUrl!, location.href);
  }

  /** duckdb-wasm loads on first use, after the prerendered page is on screen. */
  private database(): Promise<Database> {
    if (!this.db) {
      startEngine();
      const dataUrl = this.dataUrl;
      this.db = import('../../lib/db.ts').then((m) => m.openDatabase(dataUrl));
      this.db.then(
        (db) => (this.ready = db),
        () => (this.db = undefined),
      );
    }
    return this.db;
  }

  /** Reads an answer without the engine. */
  private readDirect(direct: DirectRead): Promise<unknown[] | Columns<unknown>> {
    if (!this.reader) {
      const { sizes } = this.data;
      this.reader = fileReader(this.dataUrl, (file) => sizes[file]);
    }
    return readAnswer(this.reader, direct);
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
    this.$('[data-action=copy-link]').textContent = 'Copy link';
    void this.refresh();
  }

  private renderer(view: View<ViewId, unknown>): Promise<Render<unknown>> {
    let renderer = this.renderers.get(view.id);
    if (!renderer) {
      renderer = view.render();
      this.renderers.set(view.id, renderer);
      renderer.catch(() => this.renderers.delete(view.id));
    }
    return renderer;
  }

  /** What a view's controls may do, on its own slice of the state. */
  private api(view: View<ViewId, unknown>): ControlApi<unknown> {
    return {
      update: (change, options) => this.update((s) => change(sliceOf(s, view.id)), options),
      state: () => sliceOf(this.state, view.id),
      dataset: () => this.current,
      label: (feature) => this.label(feature),
      searchBox: (root, onPick) => {
        const box = new SearchBox(
          root,
          (text) => this.search(text),
          (match) => {
            this.labels.set(`${this.state.dataset}\u0000${match.name}`, match.label);
            onPick(match);
          },
        );
        this.boxes.push(box);
        return box;
      },
    };
  }

  private $(selector: string): HTMLElement {
    return this.querySelector<HTMLElement>(selector)!;
  }

  /** The controls every view shares: dataset and view tabs, the type filter, download and link. */
  private wire(): void {
    this.onTab('[data-control=dataset]', (id) =>
      this.update((s) => {
        // Selections belong to a dataset: switching starts afresh, keeping the view's options.
        s.dataset = id;
        for (const view of views) (s as unknown as Record<ViewId, unknown>)[view.id] = view.reset(sliceOf(s, view.id));
      }),
    );
    this.onTab('[data-control=view]', (id) => this.update((s) => void (s.view = id as ViewId)));
    this.$('[data-control=type]').addEventListener('change', (e) =>
      this.update((s) => void (s.type = (e.target as HTMLSelectElement).value as TypeFilter)),
    );
    this.$('[data-action=download]').addEventListener('click', () => {
      if (this.result?.table) void downloadCsv(this.result.table, this.fileName());
    });
    this.$('[data-action=download-parquet]').addEventListener('click', () => {
      const table = this.result?.table;
      if (!table) return;
      this.database()
        .then((db) => downloadParquet(table, this.fileName(), db))
        .catch((error: unknown) => {
          const why = error instanceof Error ? error.message : String(error);
          this.$('[data-status]').textContent = `Could not make the Parquet file: ${why}`;
        });
    });
    this.$('[data-action=save-svg]').addEventListener('click', () => {
      const chart = this.result?.chart;
      if (chart) downloadSvg(figureSvg(chart, this.figureText()), this.fileName());
    });
    this.$('[data-action=save-png]').addEventListener('click', () => {
      const chart = this.result?.chart;
      if (chart) void downloadPng(figureSvg(chart, this.figureText()), this.fileName());
    });
    this.$('[data-action=copy-link]').addEventListener('click', () => {
      void navigator.clipboard?.writeText(location.href).then(
        () => (this.$('[data-action=copy-link]').textContent = 'Link copied'),
        () => {},
      );
    });
  }

  /** A tab list: a click picks a tab, and arrow keys move between tabs, as the ARIA tabs pattern expects. */
  private onTab(selector: string, pick: (value: string) => void): void {
    const list = this.$(selector);
    const tabs = [...list.querySelectorAll<HTMLButtonElement>('[role=tab]')];
    for (const tab of tabs) tab.addEventListener('click', () => pick(tab.value));
    list.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const at = tabs.indexOf(document.activeElement as HTMLButtonElement);
      const next = tabs[(at + (event.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length];
      next?.focus();
      next?.click();
    });
  }

  /** The search's worker, which reads each dataset's features file once. */
  private get searcher(): FeatureSearcher {
    this.featureSearch ??= featureSearcher(this.dataUrl);
    return this.featureSearch;
  }

  /** The current dataset's features file, which search reads, and its sizes. */
  private get featuresFile(): [string, FileSize] {
    const file = this.current.files.features;
    return [file, this.data.sizes[file]!];
  }

  private search(text: string): Promise<FeatureMatch[]> {
    return this.searcher.search(...this.featuresFile, { text, type: this.state.type });
  }

  private label(feature: string): string {
    return this.labels.get(`${this.state.dataset}\u0000${feature}`) ?? feature;
  }

  /** Fetches labels of selected features restored from a URL, so chips and the search box read as names. */
  private async loadLabels(db: Database | undefined): Promise<void> {
    const d = this.current;
    const wanted = views
      .flatMap((v) => v.features(sliceOf(this.state, v.id)))
      .filter((f) => !this.labels.has(`${d.id}\u0000${f}`));
    if (wanted.length === 0) return;
    const rows = (await this.answer(db, featureLabels(d, wanted))) as { name: string; label: string }[];
    for (const r of rows) this.labels.set(`${d.id}\u0000${r.name}`, r.label);
  }

  private renderControls(): void {
    const s = this.state;
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
    for (const view of views) {
      const panel = this.panel(view.id);
      panel.hidden = view.id !== s.view;
      view.sync(panel, sliceOf(s, view.id), this.api(view));
    }
    (this.$('[data-control=type]') as HTMLSelectElement).value = s.type;
  }

  private showNotices(notices: string[]): void {
    this.$('[data-notices]').replaceChildren(
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

  /** Runs a view's queries, each answered as `answer` decides. */
  private async run(db: Database | undefined, queries: Record<string, ViewQuery>): Promise<QueryResults> {
    const answers = await Promise.all(
      Object.entries(queries).map(async ([name, q]) => [name, await this.answer(db, q)]),
    );
    return Object.fromEntries(answers);
  }

  /**
   * Answers one query: labels from the search's worker once it has read the features file (a lookup would decode a
   * row group of 2,048 features on this thread for each label: 80 MB of garbage for a heatmap of 50); else from its
   * direct read without the engine, or when that read is a lookup; else on the engine.
   */
  private async answer(db: Database | undefined, q: ViewQuery): Promise<unknown[] | Columns<unknown>> {
    const labels = q.labels;
    if (labels && this.searcher.holds(labels.file)) {
      return this.searcher.labels(labels.file, this.data.sizes[labels.file]!, labels.names);
    }
    if (!db || q.direct?.lookup) return this.readDirect(q.direct!);
    if ('kept' in q) return (await Promise.all(q.kept.map((k) => db.query(k, q.files, { keep: true })))).flat();
    return q.columns ? db.queryColumns(q.query, q.files) : db.query(q.query, q.files, { keep: q.keep });
  }

  /**
   * Once a chart is on screen, starts the engine if it is not yet and has the search's worker read the features file,
   * so that a reader's next click or first keystroke finds them ready; the first chart never waits for either (the
   * features file is 2.4 MiB at full scale).
   */
  private prepare(): void {
    // `failed` until a later start succeeds: the next view that needs the engine tries again.
    this.database().then(
      () => void (this.dataset.engine = 'ready'),
      () => void (this.dataset.engine = 'failed'),
    );
    this.searcher.prepare(...this.featuresFile);
  }

  /** Renders the controls at once, then runs the view; only the latest run may draw. */
  private async refresh(): Promise<void> {
    this.renderControls();
    const token = ++this.token;
    const figure = this.$('[data-chart]');
    figure.setAttribute('aria-busy', 'true');
    try {
      const view = this.view;
      const slice = sliceOf(this.state, view.id);
      const ctx: QueryContext = {
        dataset: this.current,
        shared: { dataset: this.state.dataset, type: this.state.type },
        topProducerRanks: this.data.topProducerRanks,
        comparison: this.data.comparison,
      };
      const planned = view.queries(slice, ctx);
      const direct =
        !this.ready && ('problem' in planned || Object.values(planned.queries).every((q) => q.direct !== undefined));
      this.setStatus('loading', direct || this.ready ? 'Loading…' : 'Starting the data engine…');
      // The renderer (and Plot) loads alongside the engine and the reads, and labels alongside the view's rows.
      const answers = (direct ? Promise.resolve(undefined) : this.database()).then((db) =>
        Promise.all([this.loadLabels(db), 'problem' in planned ? undefined : this.run(db, planned.queries)]),
      );
      const [render, [, results]] = await Promise.all([this.renderer(view), answers]);
      if (token !== this.token) return;
      this.renderControls();
      let result: ViewResult;
      let drawn: MetanexusExplorer['drawn'];
      if ('problem' in planned) {
        result = { summary: '', message: planned.problem };
      } else {
        const renderCtx: RenderContext = {
          ...ctx,
          width: this.chartWidth(),
          explorerPath: location.pathname,
          label: (f) => this.label(f),
          update: (change) => this.update((s) => change(sliceOf(s, view.id))),
        };
        drawn = { render, results: results!, slice, ctx: renderCtx };
        result = render(results!, slice, renderCtx);
      }
      if (token !== this.token) return;
      this.drawn = drawn;
      this.draw(result);
    } catch (error) {
      if (token !== this.token) return;
      this.result = undefined;
      this.drawn = undefined;
      figure.replaceChildren();
      this.showTable(undefined);
      this.setStatus('error', `Could not load data: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (token === this.token) {
        figure.removeAttribute('aria-busy');
        this.dataset.renders = String(++this.renders);
        this.prepare();
      }
    }
  }

  private draw(result: ViewResult): void {
    this.result = result;
    const chart = this.$('[data-chart]');
    const drawn = !result.message && result.chart;
    for (const action of ['save-svg', 'save-png']) {
      (this.$(`[data-action=${action}]`) as HTMLButtonElement).disabled = !drawn;
    }
    const { title, caption } = drawn ? this.figureText() : { title: '', caption: '' };
    this.$('[data-chart-title]').textContent = title;
    this.$('[data-chart-caption]').textContent = caption;
    if (!drawn) {
      chart.replaceChildren();
      this.showTable(undefined);
      this.setStatus('empty', result.message ?? 'No data for this selection');
      return;
    }
    chart.replaceChildren(result.chart!);
    this.showTable(result.table);
    this.setStatus('ready', result.summary);
  }

  private showTable(table: ViewResult['table']): void {
    for (const action of ['download', 'download-parquet'])
      (this.$(`[data-action=${action}]`) as HTMLButtonElement).disabled = !table;
    this.$('[data-table-wrap]').hidden = !table;
    this.table.show(table);
  }

  /**
   * The room the chart has: the width of its container, at least 320 px. Its last size seen by the ResizeObserver,
   * which reads it after a layout: reading it while a click's controls have just changed forced a layout of the page
   * before every render (up to 9 ms a heatmap click, CPU profile). Read from the page before the first observation.
   */
  private chartWidth(): number {
    return Math.max(320, (this.observedWidth ?? this.$('[data-chart]').clientWidth) || 800);
  }

  /** Redraws the chart from the same rows when its width changes (a resize, a rotation), without querying again. */
  private redrawOnResize(): void {
    const chart = this.$('[data-chart]');
    new ResizeObserver(() => {
      this.observedWidth = chart.clientWidth;
      const drawn = this.drawn;
      const width = this.chartWidth();
      if (!drawn || this.result?.message || Math.abs(width - drawn.ctx.width) < 2) return;
      drawn.ctx = { ...drawn.ctx, width };
      const result = drawn.render(drawn.results, drawn.slice, drawn.ctx);
      chart.replaceChildren(result.chart!);
      this.result = { ...result, table: this.result?.table };
      this.dataset.width = String(width);
    }).observe(chart);
  }

  /** The chart's title and its caption: view, selection, dataset, type filter, data version. */
  private figureText(): FigureText {
    const view = this.view;
    const d = this.current;
    const selection = view.selection(sliceOf(this.state, view.id), { dataset: d, label: (f) => this.label(f) });
    return {
      title: selection ? `${view.title}: ${selection}` : view.title,
      caption:
        `${d.title} dataset · ${selection ? `${selection} · ` : ''}${TYPE_LABELS[this.state.type].filter} · ` +
        'log2 fold change · ' +
        `data version ${this.data.dataVersion} (built ${this.data.builtAt.slice(0, 10)}) · MetaNexus`,
    };
  }

  /** Files of the current result: dataset, view, selection, type filter and data version in the name. */
  private fileName(): string {
    const view = this.view;
    const d = this.current;
    const selection = view
      .selection(sliceOf(this.state, view.id), { dataset: d, label: (f) => f })
      .slice(0, 80)
      .replace(/[^A-Za-z0-9.]+/g, '-')
      .replace(/^-|-$/g, '');
    return [d.id, view.id, selection || 'all', this.state.type, this.data.dataVersion].join('-');
  }
}

customElements.define('metanexus-explorer', MetanexusExplorer);
