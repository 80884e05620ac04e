import { describe, expect, it } from 'vitest';
import { configFromEnv, type JobStreamsEnv } from '../../src/client/configFromEnv.js';

describe('configFromEnv', () => {
  describe('with each variable set alone', () => {
    it.each<[keyof JobStreamsEnv & string, string, object]>([
      ['VITE_WS_URL', 'wss://ws.example.com', { url: 'wss://ws.example.com' }],
      ['VITE_API_URL', 'https://api.example.com', { apiUrl: 'https://api.example.com' }],
      ['VITE_WS_RECONNECT_ATTEMPTS', '7', { reconnection: { attempts: 7 } }],
      ['VITE_WS_RECONNECT_DELAY', '2500', { reconnection: { delay: 2500 } }],
      ['VITE_WS_TIMEOUT', '60000', { idleTimeout: 60_000 }],
      ['VITE_WS_HEARTBEAT_INTERVAL', '15000', { heartbeat: { interval: 15_000 } }],
      ['VITE_POLLING_INTERVAL', '2000', { polling: { interval: 2000 } }],
      ['VITE_ENABLE_POLLING_FALLBACK', 'false', { polling: { enabled: false } }],
    ])('should map %s=%s to its option and nothing else', (name, value, expected) => {
      expect(configFromEnv({ [name]: value })).toStrictEqual(expected);
    });
  });

  describe('with every variable set', () => {
    it('should group the options as createJobStreams takes them', () => {
      const env: JobStreamsEnv = {
        VITE_WS_URL: 'wss://ws.example.com',
        VITE_API_URL: 'https://api.example.com',
        VITE_WS_RECONNECT_ATTEMPTS: '5',
        VITE_WS_RECONNECT_DELAY: '1000',
        VITE_WS_TIMEOUT: '300000',
        VITE_WS_HEARTBEAT_INTERVAL: '30000',
        VITE_POLLING_INTERVAL: '5000',
        VITE_ENABLE_POLLING_FALLBACK: 'true',
        MODE: 'production',
      };

      expect(configFromEnv(env)).toStrictEqual({
        url: 'wss://ws.example.com',
        apiUrl: 'https://api.example.com',
        idleTimeout: 300_000,
        reconnection: { attempts: 5, delay: 1000 },
        heartbeat: { interval: 30_000 },
        polling: { interval: 5000, enabled: true },
      });
    });

    it('should trim whitespace around values', () => {
      expect(configFromEnv({ VITE_WS_URL: '  https://a.example.com \n', VITE_POLLING_INTERVAL: ' 250 ' })).toStrictEqual({
        url: 'https://a.example.com',
        polling: { interval: 250 },
      });
    });
  });

  describe('with variables unset or empty', () => {
    it('should return no option at all for an empty env', () => {
      expect(configFromEnv({})).toStrictEqual({});
    });

    it('should leave out empty and blank values, keeping no undefined key and no empty group', () => {
      const options = configFromEnv({
        VITE_WS_URL: '',
        VITE_API_URL: '   ',
        VITE_WS_RECONNECT_ATTEMPTS: '',
        VITE_WS_RECONNECT_DELAY: undefined,
        VITE_WS_HEARTBEAT_INTERVAL: '',
        VITE_ENABLE_POLLING_FALLBACK: ' ',
      });

      expect(options).toStrictEqual({});
      expect(Object.keys(options)).toEqual([]);
    });

    it('should keep a group with only the variables that are set', () => {
      const options = configFromEnv({ VITE_WS_RECONNECT_ATTEMPTS: '3', VITE_WS_RECONNECT_DELAY: '' });

      expect(options).toStrictEqual({ reconnection: { attempts: 3 } });
      expect(Object.keys(options.reconnection ?? {})).toEqual(['attempts']);
    });

    it('should ignore values that are not strings, as a bundler may inject booleans', () => {
      const env = { VITE_WS_URL: 42, VITE_ENABLE_POLLING_FALLBACK: true } as unknown as JobStreamsEnv;

      expect(configFromEnv(env)).toStrictEqual({});
    });
  });

  describe('with malformed numbers', () => {
    it.each<[keyof JobStreamsEnv & string, string]>([
      ['VITE_WS_RECONNECT_ATTEMPTS', 'five'],
      ['VITE_WS_RECONNECT_DELAY', '-1'],
      ['VITE_WS_TIMEOUT', '30s'],
      ['VITE_WS_HEARTBEAT_INTERVAL', 'Infinity'],
      ['VITE_POLLING_INTERVAL', 'NaN'],
    ])('should throw a TypeError naming %s for "%s"', (name, value) => {
      expect(() => configFromEnv({ [name]: value })).toThrow(TypeError);
      expect(() => configFromEnv({ [name]: value })).toThrow(new RegExp(`${name}.*"${value}"`));
    });

    it('should accept 0 and decimals', () => {
      expect(configFromEnv({ VITE_WS_RECONNECT_DELAY: '0', VITE_POLLING_INTERVAL: '1500.5' })).toStrictEqual({
        reconnection: { delay: 0 },
        polling: { interval: 1500.5 },
      });
    });
  });

  describe('with VITE_ENABLE_POLLING_FALLBACK', () => {
    it.each([
      ['true', true],
      ['TRUE', true],
      ['1', true],
      ['yes', true],
      ['Yes', true],
      ['false', false],
      ['False', false],
      ['0', false],
      ['no', false],
      ['NO', false],
    ])('should read "%s" as %s', (value, enabled) => {
      expect(configFromEnv({ VITE_ENABLE_POLLING_FALLBACK: value })).toStrictEqual({ polling: { enabled } });
    });

    it.each(['maybe', 'enabled', '2', 'ture'])('should throw a TypeError naming the variable for "%s"', (value) => {
      expect(() => configFromEnv({ VITE_ENABLE_POLLING_FALLBACK: value })).toThrow(TypeError);
      expect(() => configFromEnv({ VITE_ENABLE_POLLING_FALLBACK: value })).toThrow(/VITE_ENABLE_POLLING_FALLBACK must be true or false/);
    });
  });
});
