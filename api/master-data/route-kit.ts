import { z } from '@hono/zod-openapi';

/** Small builders shared by the master-data routers. */
export const Item = z.record(z.string(), z.unknown());
export const ListResult = z.object({ total: z.number(), items: z.array(Item) });

export { body, json } from '../schemas.js';
