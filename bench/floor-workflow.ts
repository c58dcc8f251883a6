import { allHandlersFinished, condition, defineUpdate, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';

/**
 * The floor: a sales order's life with nothing inside. It is started, takes one
 * update per command, and runs exactly as many activities (and local activities)
 * at each step as a real order did in the same bench run, read from that
 * order's history (bench/shape.ts). What this machine's Temporal does with it is
 * the most any order workflow of that shape could do here.
 */
export type StepKinds = ('a' | 'l')[];
export interface FloorShape {
  start: StepKinds;
  updates: StepKinds[];
  /** Per update: what it sets off to run after answering; the workflow waits for it before closing. */
  after: StepKinds[];
  closing: StepKinds;
}
export const floorStepUpdate = defineUpdate<number, [number]>('step');
/** An update that does nothing: the bare round trip the approve command is measured against. */
export const floorPingUpdate = defineUpdate<number, []>('ping');
export const floorDoneUpdate = defineUpdate<void, []>('done');

const { noop } = proxyActivities<{ noop(step: string): Promise<string> }>({ startToCloseTimeout: '15s' });
const local = proxyLocalActivities<{ noop(step: string): Promise<string> }>({ startToCloseTimeout: '15s' });

async function run(kinds: StepKinds, step: string): Promise<void> {
  for (const [i, kind] of kinds.entries()) await (kind === 'l' ? local : { noop }).noop(`${step}/${i}`);
}

export async function floorOrder(shape: FloorShape): Promise<number> {
  let steps = 0;
  let pings = 0;
  let done = false;
  const background: Promise<void>[] = [];
  setHandler(floorStepUpdate, async (index) => {
    await run(shape.updates[index] ?? [], `update-${index}`);
    background.push(run(shape.after[index] ?? [], `after-${index}`));
    return ++steps;
  });
  setHandler(floorPingUpdate, () => ++pings);
  setHandler(floorDoneUpdate, () => {
    done = true;
  });
  await run(shape.start, 'start');
  await condition(() => steps >= shape.updates.length || done);
  await condition(allHandlersFinished);
  await Promise.all(background);
  await run(shape.closing, 'closing');
  return steps;
}
