import { describe, expect, it } from 'vitest';
import { defaultState, parseState, stateToSearch, type ExplorerState } from '../../src/views/index.ts';
import type { StateContext } from '../../src/lib/url-state.ts';
import { landscapeSearch } from '../../src/views/links.ts';
import { NETWORK_LIMITS } from '../../src/views/network/state.ts';

const HOSTILE = `Ü,'&"=?#+ 🦠`;
const vivoBacteria = ['Akkermansia_muciniphila', 'Bacteroides_fragilis', 'a,b', HOSTILE, ...range('vivo_', 60)];
const CTX: StateContext = {
  datasets: [
    { id: 'in_vitro', bacteria: ['Akkermansia_muciniphila', 'vitro_only'] },
    { id: 'in_vivo', bacteria: vivoBacteria },
  ],
};

function range(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
}

const parse = (search: string) => parseState(search, CTX);
const search = (entries: [string, string][]) => `?${new URLSearchParams(entries)}`;

/** A state that differs from the default everywhere, with ids that need escaping. */
const FULL: ExplorerState = {
  dataset: 'in_vivo',
  view: 'network',
  type: 'by_negative',
  landscape: {
    metabolite: `M634T150_NEG & "x", 'y' %20`,
    bacterium: null,
    show: 'bottom',
    n: 25,
    range: { from: 3, to: 40 },
  },
  network: { bacteria: [HOSTILE, 'a,b', 'Akkermansia_muciniphila'], metabolites: ['m,1', 'm&2=3', '<script>', 'ü'] },
  cooccurrence: { bacteria: ['Bacteroides_fragilis', HOSTILE], mode: 'any' },
  overview: {},
  // A bacterium of the other dataset: the comparison's pick belongs to no dataset.
  compare: { bacterium: 'vitro_only' },
};

describe('defaultState', () => {
  it('is the landscape of the first dataset with nothing selected', () => {
    expect(defaultState(CTX)).toEqual({
      dataset: 'in_vitro',
      view: 'landscape',
      type: 'all',
      landscape: { metabolite: null, bacterium: null, show: 'all', n: 10, range: null },
      network: { bacteria: [], metabolites: [] },
      cooccurrence: { bacteria: [], mode: 'all' },
      overview: {},
      compare: { bacterium: null },
    });
  });

  it('needs a dataset', () => {
    expect(() => defaultState({ datasets: [] })).toThrow(/no datasets/);
  });
});

describe('stateToSearch', () => {
  it('writes only the dataset for the default state', () => {
    expect(stateToSearch(defaultState(CTX))).toBe('?ds=in_vitro');
  });

  it('writes keys in a fixed order and repeats list keys, never joining ids', () => {
    const text = stateToSearch(FULL);
    const keys = [...new URLSearchParams(text).keys()];
    expect(keys).toEqual([
      'ds',
      'view',
      'type',
      'm',
      'show',
      'n',
      'r',
      'nb',
      'nb',
      'nb',
      'nm',
      'nm',
      'nm',
      'nm',
      'cb',
      'cb',
      'mode',
      'xb',
    ]);
    expect(text.startsWith('?ds=in_vivo&view=network&type=by_negative&m=')).toBe(true);
    expect(new URLSearchParams(text).getAll('nb')).toEqual(FULL.network.bacteria);
  });

  it('round-trips through parseState without notices', () => {
    for (const state of [
      defaultState(CTX),
      FULL,
      { ...FULL, landscape: { ...FULL.landscape, metabolite: null, bacterium: HOSTILE } },
    ]) {
      expect(parse(stateToSearch(state))).toEqual({ state, notices: [] });
    }
  });

  it('is canonical: parsing and writing again gives the same text', () => {
    const messy = '?mode=any&nb=a%2Cb&nb=a%2Cb&ds=in_vivo&n=007&view=landscape&unknown=1';
    const once = stateToSearch(parse(messy).state);
    expect(once).toBe('?ds=in_vivo&n=7&nb=a%2Cb&mode=any');
    expect(stateToSearch(parse(once).state)).toBe(once);
  });
});

describe('parseState', () => {
  it('gives the default state for an empty search, with or without "?"', () => {
    expect(parse('')).toEqual({ state: defaultState(CTX), notices: [] });
    expect(parse('?')).toEqual({ state: defaultState(CTX), notices: [] });
    expect(parse('ds=in_vivo').state.dataset).toBe('in_vivo');
  });

  it('reads empty values as absent, silently', () => {
    expect(parse('?ds=&view=&m=&b=&n=&nb=&mode=')).toEqual({ state: defaultState(CTX), notices: [] });
  });

  it('falls back to defaults for unknown choices, naming each bad value', () => {
    const { state, notices } = parse(
      search([
        ['ds', 'in_silico'],
        ['view', 'table'],
        ['type', 'by_name '],
        ['show', 'TOP'],
        ['mode', 'none'],
      ]),
    );
    expect(state).toEqual(defaultState(CTX));
    expect(notices).toEqual([
      'Unknown dataset "in_silico": showing "in_vitro".',
      'Unknown view "table": showing "landscape".',
      'Unknown type filter "by_name ": showing "all".',
      'Unknown show option "TOP": showing "all".',
      'Unknown mode "none": showing "all".',
    ]);
  });

  it('keeps hostile text as plain text in notices, shortened', () => {
    const { notices } = parse(search([['view', `<img src=x onerror=alert(1)>${'x'.repeat(100)}`]]));
    expect(notices).toEqual([`Unknown view "<img src=x onerror=alert(1)>${'x'.repeat(32)}…": showing "landscape".`]);
  });

  describe('n', () => {
    const n = (value: string) => parse(search([['n', value]]));

    it('accepts whole numbers from 1 to 1000 silently', () => {
      expect(n('1')).toEqual({
        state: expect.objectContaining({ landscape: expect.objectContaining({ n: 1 }) }),
        notices: [],
      });
      expect(n('1000').state.landscape.n).toBe(1000);
      expect(n('050').notices).toEqual([]);
    });

    it('clamps, rounds and explains', () => {
      expect(n('0')).toMatchObject({
        state: { landscape: { n: 1 } },
        notices: ['N "0" is outside 1 to 1000 or not whole: showing 1.'],
      });
      expect(n('-5').state.landscape.n).toBe(1);
      expect(n('5000')).toMatchObject({
        state: { landscape: { n: 1000 } },
        notices: [expect.stringContaining('showing 1000')],
      });
      expect(n('2.6')).toMatchObject({
        state: { landscape: { n: 3 } },
        notices: [expect.stringContaining('showing 3')],
      });
    });

    it('uses 10 for anything that is not a number', () => {
      for (const value of ['ten', '1O', 'Infinity', ' ', '5;DROP']) {
        expect(n(value)).toMatchObject({
          state: { landscape: { n: 10 } },
          notices: [expect.stringContaining('is not a number: showing 10.')],
        });
      }
    });
  });

  describe('landscape selection', () => {
    it('keeps a metabolite id as given: it cannot be checked without the data', () => {
      expect(parse(search([['m', "no such feature'; --"]])).state.landscape.metabolite).toBe("no such feature'; --");
    });

    it('keeps a known bacterium and drops an unknown one', () => {
      expect(
        parse(
          search([
            ['ds', 'in_vivo'],
            ['b', HOSTILE],
          ]),
        ),
      ).toMatchObject({ state: { landscape: { bacterium: HOSTILE } }, notices: [] });
      expect(parse(search([['b', HOSTILE]]))).toMatchObject({
        state: { landscape: { bacterium: null } },
        notices: [`Unknown bacterium "${HOSTILE}" dropped.`],
      });
    });

    it('keeps the metabolite when both are given: picking one clears the other', () => {
      const { state, notices } = parse(
        search([
          ['m', 'M1'],
          ['b', 'Akkermansia_muciniphila'],
        ]),
      );
      expect(state.landscape).toMatchObject({ metabolite: 'M1', bacterium: null });
      expect(notices).toEqual([
        'Both a metabolite and a bacterium were picked: ' +
          'kept metabolite "M1", dropped bacterium "Akkermansia_muciniphila".',
      ]);
    });
  });

  describe('bacteria lists', () => {
    it('keep known ids in order, first occurrence only, and drop unknown ones with a notice', () => {
      const { state, notices } = parse(
        search([
          ['ds', 'in_vivo'],
          ['nb', 'a,b'],
          ['nb', 'nope'],
          ['nb', HOSTILE],
          ['nb', 'a,b'],
          ['nb', 'vitro_only'],
          ['cb', 'Bacteroides_fragilis'],
          ['cb', 'x1'],
          ['cb', 'x2'],
          ['cb', 'x3'],
          ['cb', 'x4'],
        ]),
      );
      expect(state.network.bacteria).toEqual(['a,b', HOSTILE]);
      expect(state.cooccurrence.bacteria).toEqual(['Bacteroides_fragilis']);
      expect(notices).toEqual([
        'Network: 2 unknown bacteria dropped ("nope", "vitro_only").',
        'Co-occurrence: 4 unknown bacteria dropped ("x1", "x2", "x3", …).',
      ]);
    });

    it('are checked against the dataset in the URL', () => {
      const { state, notices } = parse(
        search([
          ['nb', 'vitro_only'],
          ['nb', 'a,b'],
        ]),
      );
      expect(state.network.bacteria).toEqual(['vitro_only']);
      expect(notices).toEqual(['Network: 1 unknown bacteria dropped ("a,b").']);
    });

    it('are capped, after unknown ids are dropped', () => {
      const ids = range('vivo_', 60);
      const { state, notices } = parse(
        search([
          ['ds', 'in_vivo'],
          ...ids.map((id): [string, string] => ['nb', id]),
          ...ids.map((id): [string, string] => ['cb', id]),
          ...range('m', 120).map((id): [string, string] => ['nm', id]),
        ]),
      );
      expect(state.network.bacteria).toEqual(ids.slice(0, NETWORK_LIMITS.bacteria));
      expect(state.network.metabolites).toEqual(range('m', 100));
      expect(state.cooccurrence.bacteria).toEqual(ids.slice(0, 30));
      expect(notices).toEqual([
        'At most 50 bacteria in the network: kept the first 50 of 60.',
        'At most 100 metabolites in the network: kept the first 100 of 120.',
        'At most 30 bacteria in the co-occurrence: kept the first 30 of 60.',
      ]);
    });
  });

  it('keeps metabolite lists in order, first occurrence only, any character allowed', () => {
    const ids = ['m,1', 'm&2=3', 'm,1', '🦠', '"'];
    expect(parse(search(ids.map((id) => ['nm', id]))).state.network.metabolites).toEqual(['m,1', 'm&2=3', '🦠', '"']);
  });

  it('drops values longer than 500 characters, with a notice that does not repeat them', () => {
    const long = 'x'.repeat(501);
    const { state, notices } = parse(
      search([
        ['m', long],
        ['nm', long],
        ['nm', 'ok'],
        ['ds', long],
        ['m', 'second'],
      ]),
    );
    expect(state.landscape.metabolite).toBeNull();
    expect(state.network.metabolites).toEqual(['ok']);
    expect(state.dataset).toBe('in_vitro');
    expect(notices).toEqual([
      'Parameter "ds" dropped: 501 characters, more than 500.',
      'Parameter "m" dropped: 501 characters, more than 500.',
      'Parameter "nm" dropped: 501 characters, more than 500.',
    ]);
    expect(parse(search([['m', 'x'.repeat(500)]])).state.landscape.metabolite).toHaveLength(500);
  });

  it('ignores unknown parameters and reads only the first of a repeated single one', () => {
    expect(parse('?utm_source=x&view=network&view=landscape')).toEqual({
      state: { ...defaultState(CTX), view: 'network' },
      notices: [],
    });
  });
});

describe("the comparison's bacterium", () => {
  it('is an id of any dataset, whichever dataset the URL names; anything else is dropped with a notice', () => {
    expect(parse('?ds=in_vivo&xb=vitro_only').state.compare).toEqual({ bacterium: 'vitro_only' });
    expect(parse(search([['xb', HOSTILE]])).state.compare).toEqual({ bacterium: HOSTILE });
    const { state, notices } = parse(search([['xb', '<img src=x onerror=alert(1)>']]));
    expect(state.compare).toEqual({ bacterium: null });
    expect(notices).toEqual(['Unknown bacterium "<img src=x onerror=alert(1)>" dropped.']);
  });
});

describe('landscapeSearch', () => {
  it('is the permalink the explorer writes for that selection', () => {
    for (const pick of [{ metabolite: `M1 & "x" 🦠` }, { bacterium: HOSTILE }]) {
      const text = landscapeSearch('in_vivo', pick);
      const { state, notices } = parse(text);
      expect(notices).toEqual([]);
      expect(stateToSearch(state)).toBe(text);
      expect(state.landscape).toMatchObject(pick);
    }
  });
});

describe('the landscape range', () => {
  it('reads two ranks, from before to, and drops anything else with a notice', () => {
    const b = 'Akkermansia_muciniphila';
    expect(
      parse(
        search([
          ['b', b],
          ['r', '120-450'],
        ]),
      ).state.landscape.range,
    ).toEqual({ from: 120, to: 450 });
    for (const bad of ['450-120', '0-5', '1-2-3', 'a-b', '5', '-5-7', '99999999-99999999']) {
      const { state, notices } = parse(search([['r', bad]]));
      expect(state.landscape.range).toBeNull();
      expect(notices).toEqual([`Range "${bad}" dropped: expected two ranks such as 120-450.`]);
    }
  });
});
