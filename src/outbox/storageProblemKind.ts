import type { StorageProblem } from './StorageProblem.js';

/**
 * Classifies what a storage call threw. Browsers disagree on quota errors: the standard name is
 * `QuotaExceededError` (legacy code 22), old Firefox used `NS_ERROR_DOM_QUOTA_REACHED` (code 1014).
 */
export function storageProblemKind(error: unknown): StorageProblem['kind'] {
  const { name, code } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    code?: unknown;
  };
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014) {
    return 'quota';
  }
  return name === 'SecurityError' ? 'security' : 'unavailable';
}
