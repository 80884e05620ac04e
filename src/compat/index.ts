/**
 * The plan's imperative API (PR-F004) as thin adapters over `createJobStreams`: code written
 * against the plan's `WebSocketManager`, `createWebSocketConnection`, `WebSocketService` and
 * `useWebSocket` runs unchanged, on jobstream's streams (one connection, resync, outbox).
 */
export { WebSocketManager, type WebSocketManagerOptions } from './WebSocketManager.js';
export {
  createWebSocketConnection,
  DEFAULT_WEBSOCKET_CONFIG,
  type WebSocketConnectionOptions,
} from './createWebSocketConnection.js';
export { WebSocketService, type GenerationHandlers, type CompositionHandlers } from './WebSocketService.js';
export type { WebSocketServiceConfig } from './sharedClient.js';
export { useWebSocket, type UseWebSocketOptions, type UseWebSocketReturn } from './useWebSocket.js';
export { WebSocketConnectError, type WebSocketConnectErrorReason } from './WebSocketConnectError.js';
export { EventHandlerError } from './EventHandlerError.js';
export { toJobStreamsOptions } from './toJobStreamsOptions.js';
export type {
  ConnectionState,
  ConnectionStatus,
  WebSocketConfig,
  EventHandler,
  WebSocketEvent,
  WebSocketEventType,
  ProgressEvent,
  ClipCompletedEvent,
  StatusChangeEvent,
  CompletedEvent,
  ErrorEvent,
  EncodingProgressEvent,
  Generation,
  Composition,
} from '../protocol/index.js';
