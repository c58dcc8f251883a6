import { allHandlersFinished, condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

/**
 * The floor: the same shape as a sales order's life (started, then four
 * updates each running one activity, then a closing activity) with nothing
 * inside. What this machine's Temporal does with it is the most any order
 * workflow could do here.
 */
export const floorStepUpdate = defineUpdate<number, [string]>('step');
export const FLOOR_STEPS = 4;

const { noop } = proxyActivities<{ noop(step: string): Promise<string> }>({ startToCloseTimeout: '15s' });

export async function floorOrder(): Promise<number> {
  let steps = 0;
  setHandler(floorStepUpdate, async (name) => {
    await noop(name);
    return ++steps;
  });
  await condition(() => steps >= FLOOR_STEPS);
  await condition(allHandlersFinished);
  await noop('complete');
  return steps;
}
