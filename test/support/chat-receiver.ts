import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  path: string;
  body: any;
}

/** A tiny HTTP server on 127.0.0.1 standing in for the chat platform: it records every JSON post. */
export interface ChatReceiver {
  url: string;
  posts: ReceivedPost[];
  /** Resolves with the first post (already received or still to come) that matches. */
  waitFor(match: (p: ReceivedPost) => boolean, timeoutMs?: number): Promise<ReceivedPost>;
  /** Answers the next posts with 500 (a platform that is down); they are counted, not recorded. */
  failNext(times: number): void;
  failed: number;
  /** Answers the next posts 200 with this body, as a DingTalk or Feishu robot refuses (errcode / code); not recorded. */
  refuseAsRobotNext(times: number, body: unknown): void;
  refusedAsRobot: number;
  close(): Promise<void>;
}

export async function startChatReceiver(): Promise<ChatReceiver> {
  const posts: ReceivedPost[] = [];
  const waiters: { match: (p: ReceivedPost) => boolean; resolve: (p: ReceivedPost) => void }[] = [];
  let toFail = 0;
  let toRefuse = 0;
  let refusal: unknown;
  const counts = { failed: 0, refused: 0 };
  const server: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      if (toFail > 0) {
        toFail -= 1;
        counts.failed += 1;
        res.writeHead(500, { 'content-type': 'text/plain' }).end('down');
        return;
      }
      if (toRefuse > 0) {
        toRefuse -= 1;
        counts.refused += 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(refusal));
        return;
      }
      const post = { path: req.url ?? '/', body: JSON.parse(text || 'null') };
      posts.push(post);
      for (const w of [...waiters]) {
        if (w.match(post)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(post);
        }
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    failNext(times) {
      toFail = times;
    },
    get failed() {
      return counts.failed;
    },
    refuseAsRobotNext(times, body) {
      toRefuse = times;
      refusal = body;
    },
    get refusedAsRobot() {
      return counts.refused;
    },
    waitFor(match, timeoutMs = 15_000) {
      const found = posts.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching chat post within ${timeoutMs} ms; got ${JSON.stringify(posts)}`)), timeoutMs);
        waiters.push({ match, resolve: (p) => (clearTimeout(timer), resolve(p)) });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
