import { describe, expect, it } from 'vitest';
import { businessConfig, orderWorkflowOptions } from '../../runtime/config.js';

describe('what every order workflow is started with', () => {
  it('continues an order as new after 1,000 events unless configured, and takes the setting given', () => {
    expect(orderWorkflowOptions(businessConfig({})).continueAsNewAfterEvents).toBe(1000);
    expect(orderWorkflowOptions(businessConfig({ ORDER_CONTINUE_AS_NEW_AFTER_EVENTS: '2500' })).continueAsNewAfterEvents).toBe(2500);
  });

  it('refuses a limit a single command could reach, naming the variable', () => {
    expect(() => businessConfig({ ORDER_CONTINUE_AS_NEW_AFTER_EVENTS: '50' })).toThrow(/ORDER_CONTINUE_AS_NEW_AFTER_EVENTS/);
    expect(() => businessConfig({ ORDER_CONTINUE_AS_NEW_AFTER_EVENTS: 'often' })).toThrow(/ORDER_CONTINUE_AS_NEW_AFTER_EVENTS/);
  });
});
