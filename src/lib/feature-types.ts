/** The three feature types of the source data, in the order the type filter lists them. */
export const FEATURE_TYPES = ['by_name', 'by_positive', 'by_negative'] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];

/** The type filter: one feature type, or all of them. */
export type TypeFilter = 'all' | FeatureType;
export const TYPE_FILTERS: readonly TypeFilter[] = ['all', ...FEATURE_TYPES];

/** How each type is named: in the type filter (plural) and beside one feature (singular). */
export const TYPE_LABELS: Record<TypeFilter, { filter: string; one: string }> = {
  all: { filter: 'All types', one: 'Any type' },
  by_name: { filter: 'Annotated metabolites', one: 'Annotated metabolite' },
  by_positive: { filter: 'Positive ions', one: 'Positive ion' },
  by_negative: { filter: 'Negative ions', one: 'Negative ion' },
};
