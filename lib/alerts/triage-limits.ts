// Shared by the API and the dashboard, which splits a larger group into requests of this size.
/** Alerts one bulk triage request may name. */
export const MAX_ALERTS_PER_TRIAGE = 500;
