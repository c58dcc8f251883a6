import type { Term } from './index.js';

/** The master-data pages' fields and codes. */
export const MASTER_DATA_WORDS: Record<string, Term> = {
};
