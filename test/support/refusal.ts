import { DomainError } from '../../domain/errors.js';

/** The DomainError a rule refuses with; fails the test when the rule lets it through. */
export function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}
