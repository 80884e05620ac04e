// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ConnectionStatus as Status } from '../../src/protocol/index.js';
import {
  ConnectionStatus,
  connectionDisplayStatus,
  type ConnectionDisplayStatus,
} from '../../src/react/index.js';

afterEach(cleanup);

const root = (container: HTMLElement) => {
  const element = container.querySelector('.jobstream-status');
  if (!(element instanceof HTMLElement)) throw new Error('no .jobstream-status root');
  return element;
};

// prettier-ignore
const STATES: [Status, boolean, boolean, ConnectionDisplayStatus, string, boolean][] = [
  // status          polling  idle    data-status      text                 Reconnect
  ['connected',     false,   false,  'connected',     'Connected',         false],
  ['connecting',    false,   false,  'connecting',    'Connecting…',       false],
  ['connecting',    true,    false,  'polling',       'Polling',           false],
  ['disconnected',  false,   false,  'disconnected',  'Disconnected',      true ],
  ['disconnected',  true,    false,  'polling',       'Polling',           true ],
  ['error',         false,   false,  'error',         'Connection error',  true ],
  ['error',         true,    false,  'polling',       'Polling',           true ],
  ['connected',     true,    false,  'connected',     'Connected',         false],
  ['disconnected',  false,   true,   'idle',          'Idle',              false],
  ['connecting',    false,   true,   'connecting',    'Connecting…',       false],
  ['error',         false,   true,   'error',         'Connection error',  true ],
];

describe('ConnectionStatus', () => {
  describe.each(STATES)('with status %s, isPolling %s and idle %s', (status, isPolling, idle, shown, text, reconnect) => {
    it(`should show "${text}" with data-status ${shown} and ${reconnect ? 'a' : 'no'} Reconnect button`, () => {
      const { container } = render(
        <ConnectionStatus status={status} isPolling={isPolling} idle={idle} onReconnect={() => {}} />,
      );
      expect(root(container).dataset.status).toBe(shown);
      const badge = screen.getByRole('status');
      expect(badge.textContent).toBe(text);
      expect(badge.getAttribute('aria-live')).toBe('polite');
      expect(screen.queryAllByRole('button', { name: 'Reconnect' })).toHaveLength(reconnect ? 1 : 0);
    });
  });

  it('should call onReconnect from the keyboard: a focusable native button, activated by Enter and Space', () => {
    const onReconnect = vi.fn();
    render(<ConnectionStatus status="error" onReconnect={onReconnect} />);
    const button = screen.getByRole('button', { name: 'Reconnect' });

    button.focus();
    expect(document.activeElement).toBe(button);
    expect(button.tabIndex).toBe(0);
    // A native <button type="button">: the browser turns Enter and Space into a click and never submits a form.
    expect(button.tagName).toBe('BUTTON');
    expect(button.getAttribute('type')).toBe('button');
    fireEvent.keyDown(button, { key: 'Enter' });
    fireEvent.click(button);
    fireEvent.keyUp(button, { key: ' ' });
    fireEvent.click(button);
    expect(onReconnect).toHaveBeenCalledTimes(2);
  });

  it('should not render a Reconnect button that would do nothing', () => {
    render(<ConnectionStatus status="error" />);
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('should describe the last connection, latency and next retry in a tooltip that keyboard and screen readers reach', () => {
    const lastConnectedAt = new Date(2025, 0, 1, 10, 0, 0);
    const nextRetryAt = new Date(2025, 0, 1, 10, 0, 8);
    render(
      <ConnectionStatus status="connecting" lastConnectedAt={lastConnectedAt} latencyMs={41.6} nextRetryAt={nextRetryAt} formatTime={(date) => date.toISOString()} />,
    );
    const badge = screen.getByRole('status');
    const expected = `Last connected: ${lastConnectedAt.toISOString()} · Latency: 42 ms · Next retry: ${nextRetryAt.toISOString()}`;

    expect(badge.getAttribute('title')).toBe(expected);
    expect(badge.tabIndex).toBe(0);
    const describedBy = badge.getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
    expect(document.getElementById(describedBy ?? '')?.textContent).toBe(expected);
  });

  it('should format the tooltip times with the locale by default', () => {
    const lastConnectedAt = new Date(2025, 0, 1, 9, 30, 0);
    render(<ConnectionStatus status="disconnected" lastConnectedAt={lastConnectedAt} />);
    expect(screen.getByRole('status').getAttribute('title')).toBe(`Last connected: ${lastConnectedAt.toLocaleTimeString()}`);
  });

  it('should leave the badge out of the tab order and undescribed when there is nothing to tell', () => {
    render(<ConnectionStatus status="connected" />);
    const badge = screen.getByRole('status');
    expect(badge.hasAttribute('tabindex')).toBe(false);
    expect(badge.hasAttribute('title')).toBe(false);
    expect(badge.hasAttribute('aria-describedby')).toBe(false);
  });

  it('should take a className and replacement labels', () => {
    const { container } = render(
      <ConnectionStatus status="error" className="toolbar" onReconnect={() => {}} labels={{ error: 'Verbindungsfehler', reconnect: 'Neu verbinden' }} />,
    );
    expect(root(container).className).toBe('jobstream-status toolbar');
    expect(screen.getByRole('status').textContent).toBe('Verbindungsfehler');
    expect(screen.getByRole('button').textContent).toBe('Neu verbinden');
  });
});

describe('connectionDisplayStatus', () => {
  it('should show polling only while the socket is not connected', () => {
    expect(connectionDisplayStatus('error', true)).toBe('polling');
    expect(connectionDisplayStatus('connected', true)).toBe('connected');
    expect(connectionDisplayStatus('disconnected')).toBe('disconnected');
  });

  it('should show idle only for a socket closed on purpose, polling first', () => {
    expect(connectionDisplayStatus('disconnected', false, true)).toBe('idle');
    expect(connectionDisplayStatus('disconnected', true, true)).toBe('polling');
    expect(connectionDisplayStatus('connected', false, true)).toBe('connected');
  });
});

describe('styles.css', () => {
  const stylesheet = readFileSync(resolve(__dirname, '../../src/react/styles.css'), 'utf8');

  it('should style both components', () => {
    expect(stylesheet).toContain('.jobstream-status {');
    expect(stylesheet).toContain('.jobstream-progress {');
  });

  it('should colour every shown status through its CSS variable', () => {
    for (const [status, variable] of [
      ['connected', '--jobstream-connected'],
      ['connecting', '--jobstream-connecting'],
      ['polling', '--jobstream-polling'],
      ['disconnected', '--jobstream-disconnected'],
      ['idle', '--jobstream-idle'],
      ['error', '--jobstream-error'],
    ]) {
      expect(stylesheet).toMatch(new RegExp(`\\[data-status='${status}'\\] \\{ --jobstream-status-color: var\\(${variable}`));
    }
  });
});
