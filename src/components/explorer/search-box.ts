import type { FeatureMatch } from '../../lib/sql/search.ts';
import { typeWords } from '../../lib/format.ts';

/**
 * A keyboard-usable combobox over the features: each keystroke runs `search`, stale answers are dropped, arrows move
 * through the matches, Enter or a click picks one.
 */
export class SearchBox {
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private matches: FeatureMatch[] = [];
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
    this.input.setAttribute('aria-busy', 'true');
    try {
      const matches = await this.search(text);
      if (token !== this.token) return;
      this.matches = matches;
      this.active = matches.length > 0 ? 0 : -1;
      this.render();
      this.status.textContent = matches.length === 0 ? 'No matching metabolite' : `${matches.length} matches`;
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
        detail.textContent = `${m.name} · ${typeWords(m.type)} · ${m.n_values} values`;
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
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.input.removeAttribute('aria-busy');
  }
}
