import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobStreams } from '../../src/client/createJobStreams.js';
import { ValidationError } from '../../src/protocol/index.js';
import type { JobServer } from '../../src/server/index.js';
import { startHarness, type Harness } from '../helpers/liveClient.js';
import { printFigure } from '../helpers/printFigure.js';
import { trackProcessErrors, type ProcessErrors } from '../helpers/trackProcessErrors.js';
import { createDeliveryModel } from './deliveryModel.js';
import { described, jsonOf, replay } from './fastCheckReports.js';
import { hostileCase, type HostileCase } from './hostileArbitraries.js';
import { startProbe, type JobProbe } from './jobProbe.js';
import { guardPrototypes } from './prototypeGuard.js';

/** Batches × 25–30 messages, less the valid terminal ones left out: about 10,600 messages, 8–15 s. */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 420);
const BATCH = { minLength: 25, maxLength: 30 } as const;
const MIN_CASES = Number(process.env.HOSTILE_MIN_CASES ?? 10_000);
/** About 12 s alone; room for a shared, loaded machine running every spec file at once. */
const PROPERTY_TIMEOUT_MS = 120_000;

/** Batches that always run first, so the rare shapes are never left to chance. */
const EXAMPLES: HostileCase[][] = [
  [
    { name: 'progress', payload: { step: 's', clip_number: 1, total_clips: 2, percentage: 5, message: 'm'.repeat(1_200_000) } },
    {
      name: 'completed',
      payload: { video_url: `https://cdn.example/${'v'.repeat(1_100_000)}`, thumbnail_url: '/t.png', duration: 1 },
    },
    { name: 'x'.repeat(1_050_000), payload: {} },
    { name: 'progress', payload: JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`) as unknown },
    {
      name: 'progress',
      payload: JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}') as unknown,
    },
    { name: '__proto__', payload: { polluted: 'yes' } },
    { name: 'constructor', payload: { prototype: { polluted: 'yes' } } },
    { name: 'clip_completed', payload: { clip_id: 'c1', thumbnail_url: ' JaVa\tScRiPt:alert(1)', duration: 1 } },
    { name: 'progress', payload: { step: 's', clip_number: 1, total_clips: 2, percentage: 10, message: 'valid' } },
  ],
];

describe('a client fed hostile input by a real server', () => {
  let harness: Harness;
  let server: JobServer;
  let client: JobStreams;
  let probe: JobProbe;
  let processErrors: ProcessErrors;
  const totals = {
    batches: 0,
    cases: 0,
    invalid: 0,
    delivered: 0,
    skippedTerminal: 0,
    bytes: 0,
    largestBytes: 0,
    megabyteCases: 0,
  };
  const started = performance.now();

  beforeAll(async () => {
    processErrors = trackProcessErrors();
    harness = await startHarness();
    server = harness.server;
    // A lenient heartbeat: a megabyte payload may hold the event loop longer than FAST allows,
    // and a reconnect in the middle would lose messages this spec counts.
    client = harness.client({ heartbeat: { interval: 5000, timeout: 10_000 } });
    probe = await startProbe(server, client);
  });

  afterAll(async () => {
    probe.close();
    processErrors.stop();
    await harness.close();
  });

  it(
    'should report each invalid payload once, deliver each valid one, and never throw or pollute',
    async () => {
      const guard = guardPrototypes();
      const expectBatch = createDeliveryModel();
      const connectionsBefore = server.control.handshakes.length;

      await fc.assert(
        fc.asyncProperty(fc.array(hostileCase, BATCH), async (batch) => {
          const expected = expectBatch(batch);
          const received = await probe.deliver(expected.send);

          expect(received.errors.map(({ error }) => error instanceof ValidationError && error.event)).toEqual(expected.errors);
          expect(received.errors.every(({ job }) => job?.id === probe.id)).toBe(true);
          expect(received.events).toEqual(expected.events);
          expect(guard.changes()).toEqual([]);
          expect(probe.ended()).toBeUndefined();
          expect(processErrors.list).toEqual([]);

          totals.batches++;
          totals.cases += expected.send.length;
          totals.invalid += expected.errors.length;
          totals.delivered += expected.events.length;
          totals.skippedTerminal += expected.skippedTerminal;
          for (const { name, payload } of expected.send) {
            const bytes = String(name).length + (jsonOf(payload)?.length ?? 0);
            totals.bytes += bytes;
            totals.largestBytes = Math.max(totals.largestBytes, bytes);
            if (bytes >= 1_000_000) totals.megabyteCases++;
          }
        }),
        { numRuns: RUNS, examples: EXAMPLES.map((batch) => [batch.map(described)]), endOnFailure: true, ...replay() },
      );

      // One connection throughout: no message was lost to a reconnect, none was counted twice.
      expect(server.control.handshakes.length).toBe(connectionsBefore);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('should refuse nesting far deeper than a node server can encode (raw frames, 100,000 levels)', async () => {
    const depth = 100_000;
    const frames = [
      `["progress",${'['.repeat(depth)}${']'.repeat(depth)}]`,
      `["clip_completed",${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]`,
      `["progress",{"step":${'['.repeat(depth)}${']'.repeat(depth)},"clip_number":1,"total_clips":1,"percentage":1,"message":""}]`,
    ];
    const guard = guardPrototypes();
    probe.writeRaw(frames);
    const received = await probe.deliver([]);
    expect(received.errors.map(({ error }) => error instanceof ValidationError && `${error.kind} ${error.event}`)).toEqual([
      'invalid_payload progress',
      'invalid_payload clip_completed',
      'invalid_payload progress',
    ]);
    expect(received.events).toEqual([]);
    expect(guard.changes()).toEqual([]);
    expect(probe.ended()).toBeUndefined();
    expect(processErrors.list).toEqual([]);
    totals.cases += frames.length;
    totals.invalid += frames.length;
  });

  it.each([
    ['a name that is not a string', `[${'['.repeat(100_000)}${']'.repeat(100_000)},{}]`],
    ['text that is not JSON', '["progress",{"step":'],
    ['a reserved event name', '["disconnect","io server disconnect"]'],
  ])('should survive a packet socket.io itself refuses (%s): the link is reopened and the job goes on', async (_, frame) => {
    const connects = server.control.handshakes.filter(({ namespace }) => namespace === '/').length;
    probe.writeRaw([frame]);
    // socket.io-client closes the whole connection on a packet it cannot decode ("parse error");
    // jobstream must reconnect and resubscribe on its own.
    await vi.waitFor(
      () => {
        expect(server.control.handshakes.filter(({ namespace }) => namespace === '/').length).toBeGreaterThan(connects);
        expect(server.control.namespaceSockets(probe.id)).toBe(1);
      },
      { timeout: 10_000, interval: 10 },
    );
    const valid = {
      name: 'progress',
      payload: { step: 's', clip_number: 1, total_clips: 1, percentage: 100, message: `after ${frame.length}` },
    };
    const received = await probe.deliver([valid]);
    expect(received.events.at(-1)).toEqual({ type: 'progress', data: valid.payload });
    expect(received.errors.filter(({ error }) => error instanceof ValidationError)).toEqual([]);
    expect(probe.ended()).toBeUndefined();
    expect(processErrors.list).toEqual([]);
  });

  it('should have sent at least 10,000 messages, some over 1 MB', () => {
    printFigure({ test: 'hostile-input', ...totals, seconds: Math.round((performance.now() - started) / 100) / 10 });
    expect(totals.cases).toBeGreaterThanOrEqual(MIN_CASES);
    expect(totals.megabyteCases).toBeGreaterThan(0);
    expect(totals.delivered).toBeGreaterThan(0);
  });
});

describe('the oracle of this spec', () => {
  it('should tell a valid case from an invalid one, and drop a valid terminal case', () => {
    const expectBatch = createDeliveryModel();
    const progress = { step: 's', clip_number: 1, total_clips: 1, percentage: 50, message: '' };
    const expected = expectBatch([
      { name: 'progress', payload: progress },
      { name: 'progress', payload: progress },
      { name: 'progress', payload: { ...progress, percentage: 40 } },
      { name: 'progress', payload: { ...progress, percentage: 'x' } },
      { name: 'nope', payload: progress },
      { name: 'completed', payload: { video_url: '/v.mp4', thumbnail_url: '/t.png', duration: 1 } },
    ]);
    expect(expected.errors).toEqual(['progress', 'nope']);
    expect(expected.events).toEqual([{ type: 'progress', data: progress }]);
    expect(expected.skippedTerminal).toBe(1);
    expect(expected.send).toHaveLength(5);
  });

  it('should see a polluted prototype', () => {
    const guard = guardPrototypes();
    const target = Object.prototype as Record<string, unknown>;
    target.polluted = 'yes';
    try {
      expect(guard.changes()).toEqual(['Object.prototype.polluted added', '({}).polluted is "yes"']);
    } finally {
      delete target.polluted;
    }
    expect(guard.changes()).toEqual([]);
  });
});
