import { build, type Metafile } from 'esbuild';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const PEERS = ['rxjs', 'socket.io-client', 'react', 'react-dom', 'observable-hooks', 'socket.io'];
const OUTBOX_CODE = /^src\/(outbox\/|client\/(createOutbox|outbox|OutboxOptions|MessageRejectedError)\.ts$)/;

/** The source files esbuild bundles for `entry`, as `npm run size` bundles it (peers external). */
async function inputsOf(entry: string): Promise<string[]> {
  const { metafile } = (await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
    external: PEERS,
  })) as { metafile: Metafile };
  return Object.keys(metafile.inputs).map((input) => relative(ROOT, resolve(ROOT, input)));
}

describe('jobstream/outbox as an opt-in entry', () => {
  it('should leave every file of the outbox out of the core bundle (jobstream)', async () => {
    const inputs = await inputsOf('src/index.ts');

    expect(inputs).toContain('src/client/createJobStreams.ts');
    expect(inputs.filter((input) => OUTBOX_CODE.test(input))).toEqual([]);
  });

  it('should bundle the queue, the send lease and the sender in jobstream/outbox', async () => {
    const inputs = await inputsOf('src/outbox.ts');

    expect(inputs).toEqual(
      expect.arrayContaining([
        'src/client/outbox.ts',
        'src/client/createOutbox.ts',
        'src/outbox/MessageQueue.ts',
        'src/outbox/acquireSendLease.ts',
        'src/client/MessageRejectedError.ts',
      ]),
    );
  });
});
