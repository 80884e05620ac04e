import type { Observable, Subscription } from 'rxjs';
import type { Socket } from 'socket.io-client';

/** What a job feed hears from its client through a {@link FeedHub}. */
export interface FeedListener {
  /** The root socket came up (`true`) or went down (`false`); never the same value twice in a row. */
  linkChanged(up: boolean): void;
  /** The client was disposed: the feed ends at once. */
  clientDisposed(): void;
}

/**
 * One subscription to the link for every running feed, instead of a `root$` pipeline per job:
 * a thousand jobs would otherwise each hold a map, a distinct and a switch over the same stream.
 * Watching holds the link open as a feed's own `root$` subscription would; the last unwatch
 * releases it, and `root$` then closes after its linger.
 */
export interface FeedHub {
  /** Starts telling `listener`; if the link is up already, says so at once. */
  watch(listener: FeedListener): void;
  /** Stops telling `listener`; does nothing if it was not watching. */
  unwatch(listener: FeedListener): void;
}

class Hub implements FeedHub {
  private readonly listeners = new Set<FeedListener>();
  private root: Subscription | undefined;
  private up = false;
  private subscribing = false;
  private disposed = false;

  constructor(
    private readonly root$: Observable<Socket | null>,
    disposed$: Observable<unknown>,
  ) {
    disposed$.subscribe(() => this.dispose());
  }

  watch(listener: FeedListener): void {
    if (this.disposed) {
      listener.clientDisposed();
      return;
    }
    this.listeners.add(listener);
    if (this.root || this.subscribing) {
      if (this.up) listener.linkChanged(true);
      return;
    }
    // `root$` replays its latest value synchronously: the listener is in the set to hear it.
    this.subscribing = true;
    let subscription: Subscription;
    try {
      subscription = this.root$.subscribe((socket) => this.set(socket !== null));
    } finally {
      this.subscribing = false;
    }
    if (this.listeners.size === 0) subscription.unsubscribe();
    else this.root = subscription;
  }

  unwatch(listener: FeedListener): void {
    if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
    const root = this.root;
    this.root = undefined;
    // The next first watcher hears whatever `root$` replays then, not this stale value.
    this.up = false;
    root?.unsubscribe();
  }

  private set(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    for (const listener of Array.from(this.listeners)) {
      // A listener reacting to this change can make `root$` change again; the newer value has
      // been told to everyone by then, so this older one must stop.
      if (this.up !== up) return;
      if (this.listeners.has(listener)) listener.linkChanged(up);
    }
  }

  private dispose(): void {
    this.disposed = true;
    for (const listener of Array.from(this.listeners)) {
      if (this.listeners.has(listener)) listener.clientDisposed();
    }
  }
}

/**
 * Creates the hub of one client's feeds over `root$` (see {@link Link.root$}); `disposed$` is
 * the client's disposal signal.
 *
 * @example
 * const hub = createFeedHub(link.root$, disposed$);
 * hub.watch({ linkChanged: (up) => (up ? subscribe() : drop()), clientDisposed: end });
 */
export function createFeedHub(root$: Observable<Socket | null>, disposed$: Observable<unknown>): FeedHub {
  return new Hub(root$, disposed$);
}
