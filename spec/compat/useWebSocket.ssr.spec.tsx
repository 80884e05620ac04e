import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { useWebSocket, WebSocketService } from '../../src/compat/index.js';

function Status({ generationId }: { generationId: string }) {
  const { connectionStatus, isPolling } = useWebSocket({ endpoint: `/ws/generations/${generationId}`, autoConnect: true });
  return <p>{`${connectionStatus}${isPolling ? ' (polling)' : ''}`}</p>;
}

describe('useWebSocket on the server (SSR)', () => {
  afterEach(() => WebSocketService.reset());

  it('should render the disconnected state without a URL, a window or a connection', () => {
    WebSocketService.reset();
    expect(globalThis.location).toBeUndefined();
    expect(renderToString(<Status generationId="gen_1" />)).toBe('<p>disconnected</p>');
  });
});
