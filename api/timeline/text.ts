import type { OrderTimeline } from './index.js';

/** The Temporal Web UI page of a workflow, from the UI's base address. */
export function temporalUiLink(uiUrl: string, namespace: string, workflowId: string): string {
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));

/** The timeline as terminal text: one line per event, time · source · kind · who · what. */
export function timelineAsText(t: OrderTimeline, uiLink?: string): string {
  const head = [
    `Order ${t.number}   workflow ${t.workflowId}   status ${t.workflowStatus ?? '(no workflow)'}   runs ${t.runs.length}`,
    ...(uiLink ? [`Temporal Web UI: ${uiLink}`] : []),
    '',
    `${pad('time (UTC)', 24)} ${pad('source', 8)} ${pad('kind', 26)} ${pad('who', 16)} what`,
  ];
  const rows = t.events.map((e) => {
    const tags = [e.updateId ? `update ${e.updateId}` : '', e.eventId ? `#${e.eventId}` : ''].filter(Boolean).join(' ');
    return `${pad(e.at, 24)} ${pad(e.source, 8)} ${pad(e.kind, 26)} ${pad(e.actor ?? '', 16)} ${e.summary}${tags ? `  [${tags}]` : ''}`;
  });
  return [...head, ...rows].join('\n');
}
