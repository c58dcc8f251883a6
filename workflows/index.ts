export { salesOrder } from './sales-order/workflow.js';
