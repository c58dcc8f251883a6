import type { Term } from './index.js';

/** The documents pages' fields and codes. */
export const DOCUMENT_WORDS: Record<string, Term> = {
};
