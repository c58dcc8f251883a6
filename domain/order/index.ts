export * from './state.js';
export * from './fulfilment.js';
export * from './billing.js';
export * from './checks.js';
export * from './approval.js';
export * from './changes.js';
export * from './returns.js';
