import { describe, expect, it } from 'vitest';
import { toJobStreamsOptions } from '../../src/compat/index.js';

describe('toJobStreamsOptions', () => {
  it('should map each field of the plan\'s config', () => {
    expect(
      toJobStreamsOptions({ url: 'https://api.example.com', reconnectionAttempts: 3, reconnectionDelay: 200, timeout: 60_000, enablePollingFallback: false }),
    ).toEqual({
      url: 'https://api.example.com',
      reconnection: { attempts: 3, delay: 200 },
      idleTimeout: 60_000,
      polling: { enabled: false },
    });
  });

  it('should leave the base options alone where the config says nothing', () => {
    const base = { reconnection: { delay: 50, maxDelay: 200 }, polling: { interval: 100 }, idleTimeout: 1000, throttle: 0 };
    expect(toJobStreamsOptions({ url: 'https://api.example.com', reconnectionAttempts: 1 }, base)).toEqual({
      url: 'https://api.example.com',
      reconnection: { delay: 50, maxDelay: 200, attempts: 1 },
      polling: { interval: 100 },
      idleTimeout: 1000,
      throttle: 0,
    });
  });
});
