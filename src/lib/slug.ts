import { compareBytes } from './byte-order.ts';

/** The readable part of a slug: lower-case ASCII letters and digits joined by single hyphens; may be empty. */
function slugify(id: string): string {
  return id
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * URL-safe, readable, unique slugs for bacterium ids. An id that is first (in byte order) among those sharing a
 * slug keeps the plain slug; the others get `-2`, `-3`, … and ids with no letters or digits get `b-1`, `b-2`, ….
 */
export function bacteriumSlugs(ids: string[]): Map<string, string> {
  const sorted = [...new Set(ids)].sort(compareBytes);
  const slugs = new Map<string, string>();
  const taken = new Set<string>();
  // Plain slugs are settled first so that a suffixed one can never take the plain slug of another id.
  for (const id of sorted) {
    const slug = slugify(id);
    if (slug !== '' && !taken.has(slug)) {
      slugs.set(id, slug);
      taken.add(slug);
    }
  }
  for (const id of sorted) {
    if (slugs.has(id)) continue;
    const stem = slugify(id);
    const numbered = (k: number) => (stem === '' ? `b-${k}` : `${stem}-${k}`);
    let k = stem === '' ? 1 : 2;
    while (taken.has(numbered(k))) k++;
    slugs.set(id, numbered(k));
    taken.add(numbered(k));
  }
  return slugs;
}

/** The path of a bacterium's page; `base` is Astro's BASE_URL, which ends with '/'. */
export function bacteriumPagePath(base: string, datasetId: string, slug: string): string {
  return `${base}bacteria/${datasetId}/${slug}/`;
}
