import { DomainError } from './errors.js';

/**
 * 报价单: versions for the same request; the customer accepts the current one
 * (客户审核); an accepted quotation is copied to an order once (复制前置单据).
 */
export type QuotationStatus = 'open' | 'accepted' | 'ordered';

export interface QuotationHeader {
  number: string;
  status: QuotationStatus;
  currentVersion: number;
  validUntil: string | null;
  orderNumber: string | null;
}

function refuse(q: QuotationHeader, command: string): never {
  throw new DomainError('INVALID_STATE', `quotation ${q.number} is ${q.status}; it cannot ${command}`, 'status', {
    status: q.status,
    ...(q.orderNumber ? { orderNumber: q.orderNumber } : {}),
  });
}

/** A new version re-opens an accepted quotation; an ordered one is final. */
export function checkNewVersion(q: QuotationHeader): number {
  if (q.status === 'ordered') refuse(q, 'take a new version');
  if (q.currentVersion >= 9999) throw new DomainError('INVALID_STATE', `quotation ${q.number} has reached version 9999`, 'version');
  return q.currentVersion + 1;
}

/** Only the current version can be accepted; older ones are superseded. */
export function checkAccept(q: QuotationHeader, version: number | undefined): number {
  if (q.status !== 'open') refuse(q, 'be accepted');
  const v = version ?? q.currentVersion;
  if (v !== q.currentVersion) {
    throw new DomainError('INVALID_STATE', `version ${v} of quotation ${q.number} is superseded by version ${q.currentVersion}`, 'version', {
      currentVersion: q.currentVersion,
    });
  }
  return v;
}

export function checkCopyToOrder(q: QuotationHeader, today: string): void {
  if (q.status !== 'accepted') refuse(q, 'be copied to an order');
  if (q.validUntil !== null && q.validUntil < today) {
    throw new DomainError('INVALID_STATE', `quotation ${q.number} expired on ${q.validUntil}`, 'validUntil', { validUntil: q.validUntil });
  }
}
