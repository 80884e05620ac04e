import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstValueFrom, filter } from 'rxjs';
import { Server } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createJobStreams, type JobStreams } from '../../src/client/createJobStreams.js';
import type { JobStreamsError } from '../../src/client/JobStreamsError.js';
import { ValidationError } from '../../src/protocol/ValidationError.js';
import { type DeadLetter, memoryStorage, MessageRejectedError, outbox } from '../../src/outbox.js';
import { FAST } from '../helpers/liveClient.js';

/**
 * A socket.io server on 127.0.0.1, port 0, that answers each `message` with what `answer` returns
 * for it (the envelope's id, and how many times that id came), and records the ids it received.
 */
async function startHostileServer(answer: (id: string, attempt: number) => unknown) {
  const httpServer = createServer();
  const io = new Server(httpServer);
  const received: string[] = [];
  io.on('connection', (socket) => {
    socket.on('heartbeat', (ack: (answer: unknown) => void) => ack({}));
    socket.on('message', (envelope: { id: string }, ack: (answer: unknown) => void) => {
      received.push(envelope.id);
      ack(answer(envelope.id, received.filter((id) => id === envelope.id).length));
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => io.close() };
}

let server: Awaited<ReturnType<typeof startHostileServer>> | undefined;
let client: JobStreams | undefined;
beforeEach(() => {
  server = undefined;
  client = undefined;
});
afterEach(async () => {
  client?.dispose();
  await server?.close();
});

/** A client of `server` with an outbox; its dead letters and errors are recorded. */
function outboxClient(url: string) {
  const letters: DeadLetter[] = [];
  const errors: JobStreamsError[] = [];
  client = createJobStreams({ url, ...FAST, outbox: outbox({ storage: memoryStorage(), maxRetries: 2 }) });
  client.deadLetters$.subscribe((letter) => letters.push(letter));
  client.errors$.subscribe((problem) => errors.push(problem));
  return { client, letters, errors };
}

const REFUSAL = { code: 'FORBIDDEN', message: 'not yours' };

describe('createOutbox', () => {
  describe('with acks that do not deliver the message', () => {
    // prettier-ignore
    it.each<[string, unknown]>([
      ['another message id',  { id: 'someone-else' }],
      ['null',                null],
      ['an HTML string',      '<html>502 Bad Gateway</html>'],
      ['an empty object',     {}],
      ['a numeric id',        { id: 42 }],
    ])('should report %s as an invalid payload and resend, until a valid ack delivers it', async (_, invalid) => {
      server = await startHostileServer((id, attempt) => (attempt === 1 ? invalid : { id }));
      const { client, letters, errors } = outboxClient(server.url);
      const id = client.send('note', { n: 1 });

      await firstValueFrom(client.outbox$.pipe(filter((messages) => messages.length === 0)));
      expect(server.received).toEqual([id, id]);
      expect(letters).toEqual([]);
      expect(errors.map(({ error }) => error)).toEqual([expect.any(ValidationError)]);
      expect(errors[0]?.error).toMatchObject({ kind: 'invalid_payload', event: 'message' });
    });

    it('should dead-letter a message acked invalidly every time once its retries run out', async () => {
      server = await startHostileServer(() => ({ id: 'someone-else' }));
      const { client, letters, errors } = outboxClient(server.url);
      const id = client.send('note', { n: 1 });

      await vi.waitFor(() => expect(letters).toHaveLength(1));
      expect(letters[0]).toMatchObject({ reason: 'retries_exhausted', message: { id } });
      expect(letters[0]?.error).toBeInstanceOf(ValidationError);
      expect(server.received).toEqual([id, id, id]);
      expect(errors).toHaveLength(3);
    });
  });

  describe('with an ack that carries an error', () => {
    // prettier-ignore
    it.each<[string, (id: string) => unknown]>([
      ['beside the message id',  (id) => ({ id, error: REFUSAL })],
      ['alone',                  () => ({ error: REFUSAL })],
    ])('should dead-letter the message as refused (%s), never resent', async (_, refusal) => {
      server = await startHostileServer((id) => refusal(id));
      const { client, letters, errors } = outboxClient(server.url);
      const id = client.send('note', { n: 1 });

      await vi.waitFor(() => expect(letters).toHaveLength(1));
      expect(letters[0]).toMatchObject({ reason: 'rejected', message: { id } });
      expect(letters[0]?.error).toBeInstanceOf(MessageRejectedError);
      expect((letters[0]?.error as MessageRejectedError).response).toEqual(refusal(id));
      expect(server.received).toEqual([id]);
      expect(errors).toEqual([]);
    });
  });
});
