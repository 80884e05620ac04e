import { createContext, use, useCallback, useMemo, useRef, useState, type ReactNode } from 'react';

/** A notification: errors stay until dismissed, news goes away by itself. */
export interface Toast {
  id: number;
  text: string;
  tone: 'error' | 'info';
}

/** Shows a toast; the same text is never shown twice at once. */
export type PushToast = (text: string, tone?: Toast['tone']) => void;

const ToastContext = createContext<PushToast | null>(null);

/** Most toasts on screen; the oldest goes first. */
const MAX_TOASTS = 4;
/** How long an `info` toast stays. */
const INFO_MS = 6000;

/** The toast function of the nearest {@link ToastProvider}. */
export function useToast(): PushToast {
  const push = use(ToastContext);
  if (push === null) throw new Error('useToast() needs a <ToastProvider> above it.');
  return push;
}

/**
 * Holds the toasts and renders them in a polite live region, so a screen reader announces each
 * one as it arrives without interrupting; every toast has a Dismiss button.
 */
export function ToastProvider({ children }: { children?: ReactNode }): ReactNode {
  const [toasts, setToasts] = useState<readonly Toast[]>([]);
  const nextId = useRef(0);

  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);
  const push = useCallback<PushToast>(
    (text, tone = 'error') => {
      const id = ++nextId.current;
      setToasts((current) =>
        current.some((toast) => toast.text === text) ? current : [...current, { id, text, tone }].slice(-MAX_TOASTS),
      );
      if (tone === 'info') setTimeout(() => dismiss(id), INFO_MS);
    },
    [dismiss],
  );
  const value = useMemo(() => push, [push]);

  return (
    <ToastContext value={value}>
      {children}
      <section className="toasts" aria-label="Notifications">
        <ol aria-live="polite" aria-relevant="additions">
          {toasts.map((toast) => (
            <li key={toast.id} className="toast" data-tone={toast.tone}>
              <span>{toast.text}</span>
              <button
                type="button"
                className="toast__dismiss"
                onClick={() => dismiss(toast.id)}
                aria-label={`Dismiss: ${toast.text}`}
              >
                ×
              </button>
            </li>
          ))}
        </ol>
      </section>
    </ToastContext>
  );
}
