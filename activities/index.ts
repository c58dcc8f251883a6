import type { ActivityDeps } from './support.js';
import { stockActivities } from './stock.js';
import { deliveryActivities } from './delivery.js';
import { invoicingActivities } from './invoicing.js';
import { receiptActivities } from './receipts.js';
import { orderActivities } from './orders.js';
import { collectionActivities } from './collection.js';
import { chatActivities } from './chat.js';
import { approvalActivities } from './approval.js';
import { shippingNoticeActivities } from './shipping-notices.js';
import { changeActivities } from './changes.js';
import { returnActivities } from './returns.js';
import { refundActivities } from './refunds.js';

/** Every activity the worker registers, wired to its dependencies (tests wire them the same way). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...stockActivities(deps),
    ...deliveryActivities(deps),
    ...invoicingActivities(deps),
    ...receiptActivities(deps),
    ...orderActivities(deps),
    ...collectionActivities(deps),
    ...chatActivities(deps),
    ...approvalActivities(deps),
    ...shippingNoticeActivities(deps),
    ...changeActivities(deps),
    ...returnActivities(deps),
    ...refundActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
