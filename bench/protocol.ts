/**
 * The IPC contract between a bench (the parent, which is the measured client) and
 * `bench/server.ts` (a child process running the reference server), so the client's
 * `process.cpuUsage()` and heap see client work only.
 */
export type ServerRequest =
  /** Creates `count` idle generations; `processing` folds a status change and a progress into each. */
  | { op: 'createGenerations'; count: number; processing: boolean }
  /** Sends `events` progress payloads to the job's audience, `batch` per macrotask. */
  | { op: 'blast'; id: string; events: number; batch: number }
  | { op: 'engineConnections' }
  /** Sockets subscribed to each job, summed, and how many jobs have none. */
  | { op: 'audience'; ids: readonly string[] }
  | { op: 'close' };

export type ServerReply =
  | { ids: string[] }
  | { sent: number; audience: number }
  | { value: number }
  | { total: number; empty: number }
  | { closed: true };

export interface RequestEnvelope {
  seq: number;
  request: ServerRequest;
}

export interface ReplyEnvelope {
  seq: number;
  reply?: ServerReply;
  error?: string;
}

/** First message of the child: the server is listening at `url`. */
export interface ReadyMessage {
  ready: true;
  url: string;
}

/** The `index`-th of `total` progress payloads: percentage rises, the message always differs. */
export function progressPayload(index: number, total: number) {
  return {
    step: 'generating_clip',
    clip_number: 1 + (index % 4),
    total_clips: 4,
    percentage: (100 * index) / total,
    message: `Generating clip ${1 + (index % 4)} of 4 (${index})`,
  };
}
