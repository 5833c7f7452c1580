import { describeWindow, parseSearch, type ParsedSearch } from '../../lib/mz-query.ts';
import type { FeatureMatch } from '../../lib/feature-search.ts';
import { formatCount, formatMz, formatRt, plural, typeWords } from '../../lib/format.ts';

/** What the live region says of a search's answer: how many matched, and of how many when the list is capped. */
export function matchesStatus(parsed: ParsedSearch, shown: number, total: number): string {
  const within = parsed.kind === 'mz' ? ` within ${describeWindow(parsed.window)}` : '';
  if (total === 0) return parsed.kind === 'mz' ? `No feature${within}` : 'No matching metabolite';
  const count =
    shown < total ? `first ${formatCount(shown)} of ${formatCount(total)} matches` : plural(total, 'match', 'matches');
  return `${count}${within}`;
}

/** A match's details: its id (unless it is the label), type, m/z (for an m/z search), retention time, values. */
export function matchDetail(m: FeatureMatch, mzSearch: boolean): string {
  return [
    m.name === m.label ? null : m.name,
    typeWords(m.type),
    mzSearch && m.mz !== null ? `m/z ${formatMz(m.mz)}` : null,
    m.rt === null ? null : formatRt(m.rt),
    plural(m.n_values, 'value', 'values'),
  ]
    .filter((part) => part !== null)
    .join(' · ');
}

/**
 * A keyboard-usable combobox over the features: each keystroke runs `search` (free text or an m/z window, see
 * parseSearch), stale answers are dropped, arrows move through the matches, Enter or a click picks one.
 */
export class SearchBox {
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private matches: FeatureMatch[] = [];
  private mzSearch = false;
  private active = -1;
  private token = 0;

  constructor(
    root: HTMLElement,
    private readonly search: (text: string) => Promise<FeatureMatch[]>,
    private readonly onPick: (match: FeatureMatch) => void,
  ) {
    this.input = root.querySelector('input')!;
    this.list = root.querySelector('[role=listbox]')!;
    this.status = root.querySelector('[data-search-status]')!;
    this.input.addEventListener('input', () => void this.update());
    this.input.addEventListener('keydown', (event) => this.key(event));
    this.input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    // mousedown, not click: it fires before the input's blur closes the list.
    this.list.addEventListener('mousedown', (event) => {
      const option = (event.target as Element).closest<HTMLElement>('[role=option]');
      if (!option) return;
      event.preventDefault();
      this.pick(Number(option.dataset.index));
    });
  }

  /** Shows `text` in the box without searching (the current selection's label). */
  set value(text: string) {
    this.input.value = text;
  }

  set disabled(disabled: boolean) {
    this.input.disabled = disabled;
  }

  private async update(): Promise<void> {
    const text = this.input.value.trim();
    const token = ++this.token;
    if (text.length === 0) return this.close();
    const parsed = parseSearch(text);
    if (parsed.kind === 'invalid') {
      this.close();
      this.status.textContent = parsed.message;
      return;
    }
    this.input.setAttribute('aria-busy', 'true');
    // The first search may wait for the features file to be read.
    this.status.textContent = 'Searching…';
    try {
      const matches = await this.search(text);
      if (token !== this.token) return;
      this.matches = matches;
      this.mzSearch = parsed.kind === 'mz';
      this.active = matches.length > 0 ? 0 : -1;
      this.render();
      this.status.textContent = matchesStatus(parsed, matches.length, matches[0]?.total ?? 0);
    } catch (error) {
      if (token !== this.token) return;
      this.close();
      this.status.textContent = `Search failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      if (token === this.token) this.input.removeAttribute('aria-busy');
    }
  }

  private render(): void {
    this.list.replaceChildren(
      ...this.matches.map((m, i) => {
        const li = document.createElement('li');
        li.role = 'option';
        li.id = `${this.list.id}-${i}`;
        li.dataset.index = String(i);
        li.dataset.name = m.name;
        li.setAttribute('aria-selected', String(i === this.active));
        const label = document.createElement('span');
        label.textContent = m.label;
        const detail = document.createElement('small');
        detail.textContent = matchDetail(m, this.mzSearch);
        li.append(label, detail);
        return li;
      }),
    );
    const open = this.matches.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
    if (this.active >= 0) this.input.setAttribute('aria-activedescendant', `${this.list.id}-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
    this.list.children[this.active]?.scrollIntoView({ block: 'nearest' });
  }

  private key(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (this.matches.length === 0) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + this.matches.length) % this.matches.length;
      this.render();
    } else if (event.key === 'Enter' && this.active >= 0) {
      event.preventDefault();
      this.pick(this.active);
    } else if (event.key === 'Escape') {
      this.close();
    }
  }

  private pick(index: number): void {
    const match = this.matches[index];
    if (!match) return;
    this.close();
    this.onPick(match);
  }

  private close(): void {
    this.token++;
    this.matches = [];
    this.active = -1;
    this.list.replaceChildren();
    this.list.hidden = true;
    this.status.textContent = '';
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.input.removeAttribute('aria-busy');
  }
}
