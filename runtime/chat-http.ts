/** What the API's chat endpoints and the chat activities share: posting to a chat platform, and the button ids. */

/** The Slack action ids of the buttons on an approval request; the interaction endpoint reads them back. */
export const APPROVE_ACTION = 'approve_order';
export const REJECT_ACTION = 'reject_order';

/** Posts JSON to a chat webhook or response URL; a non-2xx answer is an error (the activity retries it). */
export async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`chat post to ${new URL(url).host} answered ${res.status}`);
}
