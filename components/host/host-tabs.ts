// The host page's tabs, shared by the page (server) and HostView (client): `?tab=` takes these names.
const hostTabs = ['listening', 'established', 'processes', 'interfaces', 'packages', 'latency', 'history'] as const;
export type HostTab = (typeof hostTabs)[number];
export const isHostTab = (value: unknown): value is HostTab => hostTabs.includes(value as HostTab);
