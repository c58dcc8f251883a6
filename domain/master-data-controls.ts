import { mayPerform, rolesAllowedTo, type Command } from './authorization.js';
import { dec } from './decimal.js';
import { DomainError } from './errors.js';

/**
 * Fields of master data that are controls, not descriptions: whoever may set them
 * decides what an order must pass. A clerk who could raise a credit limit or lower a
 * price floor would approve his own orders by the back door, so each is the command
 * of the role that owns the control; the rest of the record stays the clerk's.
 */
export const CONTROLLED_FIELDS = {
  customer: {
    approvalStatus: 'manageCreditSettings',
    creditControl: 'manageCreditSettings',
    creditLimit: 'manageCreditSettings',
    creditOverrunRate: 'manageCreditSettings',
    settlementTerms: 'manageCreditSettings',
    settlementDays: 'manageCreditSettings',
    depositRatio: 'manageCreditSettings',
    billToCode: 'manageCreditSettings',
  },
  product: {
    priceFloorRate: 'setSalesControls',
    overDeliveryRate: 'setSalesControls',
  },
} as const satisfies Record<string, Record<string, Command>>;

export type ControlledRecord = keyof typeof CONTROLLED_FIELDS;

const numeric = /^-?\d+(\.\d+)?$/;

/** "0.1" and "0.10" are the same limit: a form that sends the record back unchanged changes nothing. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && numeric.test(a) && numeric.test(b)) return dec(a).eq(dec(b));
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Refuses (FORBIDDEN, naming the field) when `proposed` changes a control the role may
 * not set. `current` is the stored record on an edit, the defaults on a creation.
 */
export function authorizeControlledFields(
  role: string | undefined,
  record: ControlledRecord,
  proposed: Record<string, unknown>,
  current: Record<string, unknown>,
): void {
  for (const [field, command] of Object.entries(CONTROLLED_FIELDS[record]) as [string, Command][]) {
    if (!(field in proposed) || proposed[field] === undefined || same(proposed[field], current[field])) continue;
    if (mayPerform(role, command)) continue;
    const who = rolesAllowedTo(command);
    throw new DomainError('FORBIDDEN', `role ${role ?? '(none)'} may not change ${field}: it is a control only ${who.join(', ')} may set`, field, {
      role: role ?? null,
      command,
      allowedRoles: [...who],
    });
  }
}

/** The controls a role may not change: the console shows them read-only. */
export function controlledFieldsLocked(mayPerform: (command: Command) => boolean, record: ControlledRecord): Set<string> {
  return new Set(Object.entries(CONTROLLED_FIELDS[record]).filter(([, command]) => !mayPerform(command)).map(([field]) => field));
}
