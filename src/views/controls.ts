import type { ExplorerDataset } from '../lib/explorer-data.ts';

/** A bacterium's display name in a dataset (its id when unknown). */
export function bacteriumName(d: ExplorerDataset, id: string): string {
  return d.bacteria.find((b) => b.id === id)?.name ?? id;
}

/** Names in a list for a sentence: all of up to 4, else the first 3 and how many more. */
export function listed(names: string[]): string {
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** Fills a bacterium picker with the dataset's bacteria by name, after `blank`; only when the dataset changed. */
export function fillBacteria(select: HTMLSelectElement, d: ExplorerDataset, blank: string): void {
  if (select.dataset.dataset === d.id) return;
  select.dataset.dataset = d.id;
  const sorted = [...d.bacteria].sort((a, b) => a.name.localeCompare(b.name));
  select.replaceChildren(new Option(blank, ''), ...sorted.map((b) => new Option(b.name, b.id)));
}

/** Checks the radio button of `value` in a group. */
export function checkRadio(group: HTMLElement, value: string): void {
  group.querySelectorAll<HTMLInputElement>('input[type=radio]').forEach((r) => (r.checked = r.value === value));
}

/** Calls `onChange` with the value of the radio button a reader picks in a group. */
export function onRadio(group: HTMLElement, onChange: (value: string) => void): void {
  group
    .querySelectorAll<HTMLInputElement>('input[type=radio]')
    .forEach((radio) => radio.addEventListener('change', () => onChange(radio.value)));
}

/** A bacterium picker that adds the picked id to a list and goes back to its blank option. */
export function onAddBacterium(select: HTMLSelectElement, add: (id: string) => void): void {
  select.addEventListener('change', () => {
    const id = select.value;
    select.value = '';
    if (id) add(id);
  });
}

/** The ids with `id` appended (once), at most `limit`. */
export function appended(ids: string[], id: string, limit: number): string[] {
  return [...new Set([...ids, id])].slice(0, limit);
}

/** Draws removable chips into `list`; each × button carries `data-remove` (the list's name) and the id. */
export function chips(list: HTMLElement, ids: string[], label: (id: string) => string): void {
  list.replaceChildren(
    ...ids.map((id) => {
      const li = document.createElement('li');
      li.dataset.id = id;
      const text = document.createElement('span');
      text.textContent = label(id);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.value = id;
      remove.dataset.remove = list.dataset.chips!;
      remove.textContent = '×';
      remove.setAttribute('aria-label', `Remove ${label(id)}`);
      li.append(text, remove);
      return li;
    }),
  );
}

/** Calls `onRemove` with the id of a chip whose × a reader presses in `list`. */
export function onRemoveChip(list: HTMLElement, onRemove: (id: string) => void): void {
  list.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('[data-remove]');
    if (button) onRemove(button.value);
  });
}
