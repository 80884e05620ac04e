import { noop, type SchedulerLike } from 'rxjs';
import type { Namespace, Server, Socket } from 'socket.io';
import { MAX_ID_LENGTH } from '../protocol/events.js';
import { SubscribeMessageSchema, type JobKind } from '../protocol/index.js';
import { safeParse } from '../protocol/parse.js';
import { appendBounded } from './appendBounded.js';
import type { JobRecord } from './JobRecord.js';
import type { JobStore, MaybePromise } from './JobStore.js';
import type { OutboxAck } from './createOutboxLog.js';
import { thenMaybe } from './thenMaybe.js';

/** The namespace of one job: `/ws/generations/{id}` or `/ws/compositions/{id}`. */
export const JOB_NAMESPACE = /^\/ws\/(generations|compositions)\/([^/]{1,256})$/;

/**
 * One socket.io handshake (a namespace connection), as the server recorded it. Nothing of `auth`
 * but the request id is kept: credentials never sit in a test server's memory. A test that must
 * see what `auth` carried reads `socket.handshake.auth` in a `server.io` connection listener.
 */
export interface Handshake {
  /** `x-request-id` header, else `auth.requestId` (at most 256 characters); `undefined` when neither was sent. */
  requestId: string | undefined;
  /** The namespace connected to, `/` included. */
  namespace: string;
}

/** Options of {@link attachJobSockets}. */
export interface JobSocketsConfig {
  /** The jobs whose snapshots ack `subscribe`, and whose `events$` are sent to their subscribers. */
  jobs: JobStore;
  /** Receives each `message` on `/` and answers its ack (none while it cannot tell: the client sends again). */
  outbox: { deliver(payload: unknown): MaybePromise<OutboxAck> };
  /** Gives the `t` of heartbeat acks. */
  scheduler: SchedulerLike;
  /** Entries kept in `handshakes` and `requestIds` (the last ones). */
  recordLimit: number;
}

/** The wire contract's socket side, as attached to one `io` server. */
export interface JobSockets {
  /** The last `recordLimit` handshakes, in arrival order. */
  readonly handshakes: readonly Handshake[];
  /** The request ids of the last `recordLimit` handshakes that carried one, in arrival order. */
  readonly requestIds: readonly string[];
  /** Whether `heartbeat` is acked; `false` simulates a link that went silent. */
  heartbeatAcks: boolean;
  /** Whether outbound `message`s are acked; `false` simulates acks lost on the way back. */
  messageAcks: boolean;
  /** Job `subscribe`s still to refuse with a recoverable `UNAVAILABLE`, as a busy backend would. */
  refuseSubscribes: number;
  /** Sockets of this server currently subscribed to the job. */
  audience(id: string): number;
  /** Emits `event` with `payload` to the job's audience on this server as is, bypassing the snapshot. */
  emitRaw(id: string, event: string, payload: unknown): number;
  /** Stops broadcasting job events. */
  dispose(): void;
}

type Ack = (...answer: unknown[]) => void;
/** Events waiting for a subscriber's ack, as `[event, payload]`. */
type Waiting = [string, unknown][];

/**
 * Wires the wire contract onto `io`: `/` answers `heartbeat` and outbound `message`s; the job
 * namespaces (one dynamic parent namespace) answer `subscribe` with the job's snapshot and then
 * receive its events; every handshake's request id is recorded (the last `recordLimit`).
 *
 * A subscriber joins the job's audience before its snapshot is read, so no event can fall
 * between the two, and the events that come while it is read (from Redis, in a cluster) wait for
 * the ack: a client never sees a live event before the snapshot, which would put a later clip
 * before an earlier one it missed. Such an event may be in the snapshot too; the client
 * de-duplicates. In memory, joining and reading are one synchronous step, so nothing waits.
 *
 * @example
 * const sockets = attachJobSockets(io, { jobs, outbox, scheduler, recordLimit: 1000 });
 */
export function attachJobSockets(io: Server, config: JobSocketsConfig): JobSockets {
  const { jobs, outbox, scheduler, recordLimit } = config;
  // Per job, its subscribers, each with the events waiting for its subscribe ack (`undefined` once acked).
  const audiences = new Map<string, Map<Socket, Waiting | undefined>>();
  const handshakes: Handshake[] = [];
  const requestIds: string[] = [];

  const sockets: JobSockets = {
    handshakes,
    requestIds,
    heartbeatAcks: true,
    messageAcks: true,
    refuseSubscribes: 0,
    audience: (id) => audiences.get(id)?.size ?? 0,
    emitRaw(id, event, payload) {
      const audience = audiences.get(id);
      for (const [socket, waiting] of audience ?? []) {
        if (waiting) waiting.push([event, payload]);
        else socket.emit(event, payload);
      }
      return audience?.size ?? 0;
    },
    dispose: () => subscription.unsubscribe(),
  };

  const subscription = jobs.events$.subscribe(({ id, event }) => sockets.emitRaw(id, event.type, event.data));

  function record(socket: Socket): void {
    const header = socket.handshake.headers['x-request-id'];
    const auth = socket.handshake.auth as Record<string, unknown>;
    const fromAuth = typeof auth.requestId === 'string' ? auth.requestId : undefined;
    const requestId = ((Array.isArray(header) ? header[0] : header) || fromAuth)?.slice(0, MAX_ID_LENGTH);
    appendBounded(handshakes, { requestId, namespace: socket.nsp.name }, recordLimit);
    if (requestId) appendBounded(requestIds, requestId, recordLimit);
  }

  function heartbeat(...args: unknown[]): void {
    const ack = ackOf(args);
    if (ack && sockets.heartbeatAcks) ack({ t: scheduler.now() });
  }

  io.on('connection', (socket) => {
    record(socket);
    socket.on('heartbeat', heartbeat);
    socket.on('message', (...args: unknown[]) => {
      const ack = ackOf(args);
      thenMaybe(
        outbox.deliver(args[0] === ack ? undefined : args[0]),
        (answer) => {
          if (sockets.messageAcks) ack?.(answer);
        },
        // The dedupe store did not answer: no ack, so the client's outbox sends it again.
        noop,
      );
    });
  });

  const jobNamespaces: Namespace = io.of(JOB_NAMESPACE);
  jobNamespaces.on('connection', (socket) => {
    record(socket);
    const [, plural = '', id = ''] = JOB_NAMESPACE.exec(socket.nsp.name) ?? [];
    const kind: JobKind = plural === 'generations' ? 'generation' : 'composition';
    socket.on('heartbeat', heartbeat);
    socket.on('subscribe', (...args: unknown[]) => {
      const ack = ackOf(args);
      const invalid = refuse(kind, id, args[0]);
      if (invalid) return ack?.({ error: invalid });
      // A socket subscribing again stays in the audience whatever this answer is.
      const joined = audiences.get(id)?.has(socket) !== true;
      const waiting = join(socket, id);
      const answer = (refusal: { code: string; message: string } | undefined, record?: JobRecord) => {
        if (refusal && joined) leave(socket, id);
        ack?.(refusal ? { error: refusal } : record?.snapshot);
        // Acked, or refused while subscribed already: what waited goes out now, the rest as it comes.
        const audience = audiences.get(id);
        if (audience?.get(socket) !== waiting) return;
        audience.set(socket, undefined);
        for (const [event, payload] of waiting) socket.emit(event, payload);
      };
      thenMaybe(
        jobs.find(id),
        (record) => answer(record?.kind === kind ? busy() : { code: 'NOT_FOUND', message: `No ${kind} with id "${id}"` }, record),
        () => answer({ code: 'UNAVAILABLE', message: 'The job store did not answer; subscribe again later.' }),
      );
    });
    socket.on('disconnect', () => leave(socket, id));
  });

  /** Adds `socket` to the job's audience, its events waiting in the returned queue until its ack. */
  function join(socket: Socket, id: string): Waiting {
    let audience = audiences.get(id);
    if (!audience) audiences.set(id, (audience = new Map<Socket, Waiting | undefined>()));
    const waiting: Waiting = [];
    audience.set(socket, waiting);
    return waiting;
  }

  function leave(socket: Socket, id: string): void {
    const audience = audiences.get(id);
    audience?.delete(socket);
    if (audience?.size === 0) audiences.delete(id);
  }

  function busy(): { code: string; message: string } | undefined {
    if (sockets.refuseSubscribes <= 0) return undefined;
    sockets.refuseSubscribes--;
    return { code: 'UNAVAILABLE', message: 'The job service is busy; subscribe again later.' };
  }

  function refuse(kind: JobKind, id: string, payload: unknown): { code: string; message: string } | undefined {
    const parsed = safeParse(SubscribeMessageSchema, payload, 'subscribe', 'invalid_payload');
    if (!parsed.ok) return { code: 'INVALID_SUBSCRIBE', message: parsed.error.message };
    const asked = 'generation_id' in parsed.value ? parsed.value.generation_id : parsed.value.composition_id;
    const askedKind: JobKind = 'generation_id' in parsed.value ? 'generation' : 'composition';
    if (asked !== id || askedKind !== kind) {
      return {
        code: 'INVALID_SUBSCRIBE',
        message: `subscribe names ${askedKind} "${asked}" on the namespace of ${kind} "${id}"`,
      };
    }
    return undefined;
  }

  return sockets;
}

// socket.io passes the ack callback as the last argument, whatever the client sent before it.
function ackOf(args: unknown[]): Ack | undefined {
  const last = args.at(-1);
  return typeof last === 'function' ? (last as Ack) : undefined;
}
