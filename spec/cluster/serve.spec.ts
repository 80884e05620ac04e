import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVE = fileURLToPath(new URL('../../demo/cluster/serve.ts', import.meta.url));

describe('npm run start:cluster', () => {
  it('should print the apt-get command and exit 1 when redis-server or haproxy is missing', async () => {
    // An empty PATH: node itself is started by its absolute path.
    const empty = mkdtempSync(join(tmpdir(), 'jobstream-path-'));
    try {
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          ['--import', 'tsx', SERVE],
          { env: { ...process.env, PATH: empty } },
          (_, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
        );
      });
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: [
          'start:cluster needs redis-server and haproxy (missing: redis-server, haproxy). Install them with:',
          'apt-get install -y redis-server haproxy',
          '',
        ].join('\n'),
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
