/**
 * Makes a Plot chart (an `<svg>`, or a `<figure>` holding one) valid for assistive technologies, in place.
 *
 * Plot names each mark's `<g>` ("bar", "x-axis tick", …) with `aria-label` and no role; a `<g>` without a role is
 * generic, on which ARIA prohibits a name (axe-core: aria-prohibited-attr). SVG-AAM maps a named `<g>` to a group, so
 * the role is said outright. A shape named by a mark's `ariaLabel` channel is an image of one value; inside a link,
 * its name moves to the `<a>`, which is what a reader tabs to, and the shape itself is hidden: the link says it.
 */
export function accessibleChart<T extends Element>(chart: T): T {
  for (const g of chart.querySelectorAll('g[aria-label]:not([role])')) g.setAttribute('role', 'group');
  for (const a of chart.querySelectorAll('a')) {
    const shape = a.firstElementChild;
    const name = shape?.getAttribute('aria-label');
    if (!shape || !name) continue;
    a.setAttribute('aria-label', name);
    shape.removeAttribute('aria-label');
    shape.setAttribute('aria-hidden', 'true');
  }
  for (const shape of chart.querySelectorAll('g[role] > [aria-label]:not(a, g, [role])'))
    shape.setAttribute('role', 'img');
  return chart;
}

/**
 * The tip of a mark that links somewhere: drawn over the mark on hover and pinned on a press, it must not take the
 * pointer, or the press lands on the link and the release on the tip, and the click never reaches the link.
 */
export const LINKED_TIP = { pointerEvents: 'none' } as const;
