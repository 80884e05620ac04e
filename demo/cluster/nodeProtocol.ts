/** What a test or a bench asks a cluster node (`node.ts`) over its IPC channel. */
export type NodeRequest =
  /** `io.emit(event, payload)` on `/`: through the adapter, to the sockets of every node. */
  | { op: 'emit'; event: string; payload: unknown }
  /**
   * Emits `count` events `{ seq, sentAt }` on `/` (seq from 1, `sentAt` in epoch ms with
   * sub-ms precision), `batch` at a time, batches `everyMs` apart (0: a macrotask apart).
   */
  | { op: 'blast'; event: string; count: number; batch: number; everyMs: number }
  /** This node's counts. */
  | { op: 'stats' }
  /** `server.store.create(kind, options)`: a job that stays queued until `begin`; answers its snapshot. */
  | { op: 'create'; kind: 'generation' | 'composition'; options: Record<string, number | string> }
  /** `server.store.begin(id)`: on a cluster, this node takes the job's lease if it can. */
  | { op: 'begin'; id: string }
  /** How many of this node's sockets are subscribed to these jobs, in all. */
  | { op: 'audience'; ids: string[] };

/** A node's answer to `stats`. */
export interface NodeStats {
  id: string;
  /** Open engine.io connections on this node. */
  engineConnections: number;
  /** Outbox message ids applied, in order: by the whole cluster (from Redis), or by this node without Redis. */
  outboxApplied: string[];
  /** Ids of the jobs this node runs now (holds the lease of); `[]` without Redis. */
  runningHere: string[];
}

export interface NodeRequestEnvelope {
  seq: number;
  request: NodeRequest;
}

export interface NodeReplyEnvelope {
  seq: number;
  reply?: unknown;
  error?: string;
}

/** Sent once listening, over IPC and as one JSON line on stdout. */
export interface NodeReady {
  ready: true;
  id: string;
  port: number;
  url: string;
}

/** Epoch milliseconds with sub-millisecond precision, comparable between processes of one machine. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();
