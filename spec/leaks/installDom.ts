import { createRequire } from 'node:module';

/** The part of jsdom used here (the project has no @types/jsdom). */
interface JsdomModule {
  JSDOM: new (html: string, options: { url: string; pretendToBeVisual: boolean }) => { window: Window & { close(): void } };
}
const { JSDOM } = createRequire(import.meta.url)('jsdom') as JsdomModule;

/**
 * Gives this node process a jsdom `window` and `document` as globals, the way vitest's jsdom
 * environment does, but without its browser transform of `new URL(…, import.meta.url)`, which
 * breaks the path of the forked reference server. Node's own globals (URL, fetch, timers, …) are
 * kept. Import React DOM and testing-library only after this ran (dynamic `import()`): React DOM
 * decides at load whether it has a DOM.
 *
 * @example
 * const dom = installDom();
 * const { render, cleanup } = await import('@testing-library/react');
 */
export function installDom(): { window: Window; close(): void } {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/', pretendToBeVisual: true });
  const window = dom.window as unknown as Window & Record<string, unknown>;
  const added: string[] = [];
  for (const key of Object.getOwnPropertyNames(window)) {
    if (key in globalThis || key.startsWith('_')) continue;
    Object.defineProperty(globalThis, key, { configurable: true, writable: true, value: window[key] });
    added.push(key);
  }
  for (const key of ['window', 'document', 'navigator']) {
    Object.defineProperty(globalThis, key, {
      configurable: true,
      writable: true,
      value: key === 'window' ? window : window[key],
    });
    added.push(key);
  }
  // Updates here come from a real socket, as in a browser, not from inside `act`: with `true`,
  // React warns on each of them (a thousand warnings per leak run). Testing Library still sets it
  // around its own `act` calls (render, cleanup).
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
  return {
    window,
    close() {
      for (const key of added) Reflect.deleteProperty(globalThis, key);
      dom.window.close();
    },
  };
}
