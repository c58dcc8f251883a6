import type { Term } from './index.js';

/** The finance pages' fields and codes. */
export const FINANCE_WORDS: Record<string, Term> = {
};
