import type { Term } from './index.js';

/** The reports pages' fields and codes. */
export const REPORT_WORDS: Record<string, Term> = {
};
