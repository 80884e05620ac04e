/**
 * The default look of `<ConnectionStatus>`, the first half of `jobstream/react/styles.css`, as a
 * string for apps that inject styles (`<style>{connectionStatusCss}</style>`) instead of importing
 * CSS files. Nothing is injected on import. Themed by the `--jobstream-*` custom properties.
 */
export const connectionStatusCss = `/* jobstream/react: <ConnectionStatus> */
.jobstream-status {
  --jobstream-status-color: var(--jobstream-disconnected, #cf222e);
  position: relative;
  display: inline-flex;
  align-items: center;
  gap: 0.5em;
  font: inherit;
}
.jobstream-status[data-status='connected'] { --jobstream-status-color: var(--jobstream-connected, #1a7f37); }
.jobstream-status[data-status='connecting'] { --jobstream-status-color: var(--jobstream-connecting, #9a6700); }
.jobstream-status[data-status='polling'] { --jobstream-status-color: var(--jobstream-polling, var(--jobstream-connecting, #9a6700)); }
.jobstream-status[data-status='disconnected'] { --jobstream-status-color: var(--jobstream-disconnected, #cf222e); }
.jobstream-status[data-status='error'] { --jobstream-status-color: var(--jobstream-error, #cf222e); }
.jobstream-status__badge {
  display: inline-flex;
  align-items: center;
  gap: 0.4em;
  padding: 0.15em 0.6em;
  border: 1px solid var(--jobstream-status-color);
  border-radius: 999px;
  color: var(--jobstream-status-color);
}
.jobstream-status__badge:focus-visible { outline: 2px solid var(--jobstream-focus, currentColor); outline-offset: 2px; }
.jobstream-status__dot {
  width: 0.6em;
  height: 0.6em;
  border-radius: 50%;
  background: var(--jobstream-status-color);
}
.jobstream-status[data-status='connecting'] .jobstream-status__dot,
.jobstream-status[data-status='polling'] .jobstream-status__dot { animation: jobstream-pulse 1.2s ease-in-out infinite; }
@keyframes jobstream-pulse { 50% { opacity: 0.35; } }
@media (prefers-reduced-motion: reduce) { .jobstream-status__dot { animation: none !important; } }
/* Visually hidden (it is the badge's accessible description) until the badge is hovered or focused. */
.jobstream-status__details {
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
}
.jobstream-status__badge:hover + .jobstream-status__details,
.jobstream-status__badge:focus-visible + .jobstream-status__details {
  top: calc(100% + 0.3em);
  left: 0;
  z-index: 1;
  width: auto;
  height: auto;
  overflow: visible;
  clip-path: none;
  padding: 0.3em 0.6em;
  border-radius: 4px;
  background: var(--jobstream-tooltip-background, #24292f);
  color: var(--jobstream-tooltip-color, #fff);
  font-size: 0.85em;
}
.jobstream-status__reconnect { font: inherit; cursor: pointer; }
`;
