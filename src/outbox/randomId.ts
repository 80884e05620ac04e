/**
 * The default id generator: `crypto.randomUUID()` where available (browsers in secure contexts,
 * Node 19+), else 128 random bits from `crypto.getRandomValues`, else `Math.random`. Ids only need
 * to be unique among messages the server remembers, so the last fallback is acceptable.
 */
export function randomId(): string {
  const cryptoLike = (globalThis as { crypto?: Partial<Crypto> }).crypto;
  if (typeof cryptoLike?.randomUUID === 'function') return cryptoLike.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof cryptoLike?.getRandomValues === 'function') cryptoLike.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
