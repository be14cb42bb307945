// How a container is named to a person: its name, else the first 12 characters of its id (as
// `docker ps` shows them), with the Kubernetes pod when known. Shared by alerts and the dashboard.
import type { Container } from './snapshot';

export function describeContainer(container: Container | null | undefined): string | null {
  if (!container) return null;
  const name = container.name ?? container.id.slice(0, 12);
  const pod = container.podName ? ` in pod ${container.podNamespace ? `${container.podNamespace}/` : ''}${container.podName}` : '';
  return `${container.runtime} ${name}${pod}`;
}

type Placed = { container?: Container | null | undefined; netns?: number | null | undefined };

/** A row's container and namespace as fields of an alert subject, only where it has them. */
export function placeFields(row: Placed): { container?: Container; netns?: number } {
  return { ...(row.container ? { container: row.container } : {}), ...(row.netns !== undefined && row.netns !== null ? { netns: row.netns } : {}) };
}

/** Where a row is, when not in its host's own network namespace: its container, else its namespace. */
export function describePlace(row: Placed): string | null {
  return describeContainer(row.container) ?? (row.netns === undefined || row.netns === null ? null : `netns ${row.netns}`);
}
