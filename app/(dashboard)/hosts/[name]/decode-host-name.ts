import { notFound } from 'next/navigation';
import { hostName } from '@/lib/schemas/snapshot';

/** A segment that does not decode, or decodes to what no host can be called (a NUL byte, a control character), names no host: 404. */
export function decodeHostName(raw: string): string {
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    notFound();
  }
  if (!hostName.safeParse(name).success) notFound();
  return name;
}
