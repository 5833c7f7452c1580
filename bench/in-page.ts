/**
 * Scripts the benchmark installs in the page (as source text: a bundler's helpers must not leak into them). Times are
 * taken inside the page with `performance.now()`, so Playwright's round trips never count.
 */

/** What `window.__bench.act` does: one input to the explorer, then a wait for its answer. */
export type Action =
  /** Sets the URL as a permalink or the back button would (pushState + popstate); waits for the render. */
  | { kind: 'url'; search: string }
  /** Picks `value` in a `[data-control=...]` select and fires `change`; waits for the render. */
  | { kind: 'select'; control: string; value: string }
  /** Checks the radio button `value` of a `[data-control=...]` group and fires `change`; waits for the render. */
  | { kind: 'radio'; control: string; value: string }
  /**
   * Sets a search box's text and fires `input`, as one keystroke; waits until its listbox has answered (rows:
   * options).
   */
  | { kind: 'type'; box: 'landscape' | 'network'; text: string }
  /** Clicks (mousedown) the landscape search's option for `feature`; waits for the render. */
  | { kind: 'pick'; feature: string };

/** What an action took: to the DOM update, and to the frame after it (layout and paint included). */
export interface ActResult {
  ms: number;
  frameMs: number;
  state: string;
  rows: number;
}

/** Installs `window.__bench.act(action)`; runs in the page before any of its scripts. */
export const WARM_PROBE = String.raw`
window.__bench = {
  async act(action) {
    const el = document.querySelector('metanexus-explorer');
    const before = el.getAttribute('data-renders');
    const timeout = (what) =>
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out waiting for ' + what)), 60000));
    let answered;
    if (action.kind === 'type') {
      const input = document.querySelector('#' + action.box + '-search');
      answered = new Promise((resolve) => {
        const mo = new MutationObserver(() => {
          if (!input.hasAttribute('aria-busy')) { mo.disconnect(); resolve(); }
        });
        mo.observe(input, { attributes: true, attributeFilter: ['aria-busy'] });
      });
    } else {
      answered = new Promise((resolve) => {
        const mo = new MutationObserver(() => {
          if (el.getAttribute('data-renders') !== before) { mo.disconnect(); resolve(); }
        });
        mo.observe(el, { attributes: true, attributeFilter: ['data-renders'] });
      });
    }
    let target;
    if (action.kind === 'select') target = el.querySelector('[data-control="' + action.control + '"]');
    if (action.kind === 'radio') {
      target = el.querySelector('[data-control="' + action.control + '"] input[value="' + action.value + '"]');
    }
    if (action.kind === 'type') target = document.querySelector('#' + action.box + '-search');
    if (action.kind === 'pick') {
      const picks = [...document.querySelectorAll('#landscape-matches [role=option]')];
      target = picks.find((o) => o.dataset.name === action.feature);
    }
    if (action.kind !== 'url' && !target) throw new Error('no element for ' + JSON.stringify(action));

    const start = performance.now();
    if (action.kind === 'url') {
      history.pushState(null, '', location.pathname + action.search);
      dispatchEvent(new PopStateEvent('popstate'));
    } else if (action.kind === 'select') {
      target.value = action.value;
      target.dispatchEvent(new Event('change', { bubbles: true }));
    } else if (action.kind === 'radio') {
      target.checked = true;
      target.dispatchEvent(new Event('change', { bubbles: true }));
    } else if (action.kind === 'type') {
      target.value = action.text;
      target.dispatchEvent(new Event('input', { bubbles: true }));
    } else {
      target.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
    }
    await Promise.race([answered, timeout(action.kind)]);
    const ms = performance.now() - start;
    await new Promise((resolve) => requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      channel.port2.postMessage(0);
    }));
    const frameMs = performance.now() - start;
    if (action.kind === 'type') {
      const options = document.querySelectorAll('#' + action.box + '-matches [role=option]').length;
      return { ms, frameMs, state: options > 0 ? 'ready' : 'empty', rows: options };
    }
    const table = document.querySelector('[data-result-table]');
    const rows = table && !table.closest('[hidden]') ? table.dataset.rows || 0 : 0;
    return { ms, frameMs, state: el.dataset.state, rows: Number(rows) };
  },
};
`;

/** Marks of a cold load, in ms since navigation start. */
export interface ColdMarks {
  /** The frame after the About counts and the bacteria list are in the DOM. */
  content?: number;
  /** The explorer's first finished render (the engine started and the permalink's query answered). */
  interactive?: number;
  state?: string;
}

/** Records `window.__cold` marks while the page loads. */
export const COLD_PROBE = String.raw`
(() => {
  const marks = (window.__cold = {});
  const afterFrame = (then) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => then(performance.now());
    channel.port2.postMessage(0);
  });
  let seenContent = false;
  const observer = new MutationObserver(() => {
    if (!seenContent && document.querySelector('[data-testid=about-counts] tbody tr')
        && document.querySelectorAll('[data-control=landscape-bacterium] option').length > 1) {
      seenContent = true;
      afterFrame((t) => (marks.content = t));
    }
    const el = document.querySelector('metanexus-explorer');
    if (marks.interactive === undefined && el && el.hasAttribute('data-renders')) {
      marks.interactive = performance.now();
      marks.state = el.dataset.state;
    }
    if (seenContent && marks.interactive !== undefined) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-renders'] });
})();
`;
