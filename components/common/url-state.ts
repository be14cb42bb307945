// Keeps a view's filters in the address bar (deep links, reload) without a navigation.
export function replaceSearchParams(values: Record<string, string | number | boolean | null | undefined>): void {
  const params = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === '' || value === false) params.delete(key);
    else params.set(key, String(value));
  }
  const query = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
}

/** `/hosts/NAME` with the name encoded: host names come from collectors. */
export const hostPath = (name: string, suffix = '') => `/hosts/${encodeURIComponent(name)}${suffix}`;
