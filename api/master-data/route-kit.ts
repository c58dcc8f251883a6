import { z } from '@hono/zod-openapi';

/** Small builders shared by the master-data routers. */
export const Item = z.record(z.string(), z.unknown());
export const ListResult = z.object({ total: z.number(), items: z.array(Item) });

export const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
export const body = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } }, required: true as const });
