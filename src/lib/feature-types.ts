/** The three feature types of the source data, in the order the type filter lists them. */
export const FEATURE_TYPES = ['by_name', 'by_positive', 'by_negative'] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];
