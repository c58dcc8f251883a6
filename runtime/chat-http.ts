/** What the API's chat endpoints and the chat activities share: posting to a chat platform, and the button ids. */

/** The Slack action ids of the buttons on an approval request; the interaction endpoint reads them back. */
export const APPROVE_ACTION = 'approve_order';
export const REJECT_ACTION = 'reject_order';

/**
 * Posts JSON to a chat webhook or response URL and answers the body's text; a non-2xx answer is an error (the
 * caller retries it). `timeoutMs` bounds the whole post: a receiver slower than that counts as failed.
 */
export async function postJson(url: string, body: unknown, timeoutMs = 5000): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const answer = await res.text();
  if (!res.ok) throw new Error(`chat post to ${new URL(url).host} answered ${res.status}`);
  return answer;
}

/**
 * DingTalk and Feishu robots answer HTTP 200 to a post they refuse (a bad signature, a missing keyword, a rate
 * limit) and say so in the body: DingTalk `errcode`, Feishu `code` (or the older `StatusCode`), 0 when taken.
 * Answers the platform's refusal, or nothing when the post was taken (or the body is not theirs to judge).
 */
export function robotRefusal(answer: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const a = parsed as Record<string, unknown>;
  const code = a.errcode ?? a.code ?? a.StatusCode;
  if (code === undefined || code === 0 || code === '0') return undefined;
  const why = a.errmsg ?? a.msg ?? a.StatusMessage ?? '';
  return `the robot refused the post: ${String(code)} ${String(why)}`.trim().slice(0, 300);
}
