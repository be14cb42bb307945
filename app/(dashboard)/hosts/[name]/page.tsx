import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { HostView } from '@/components/host/HostView';
import { isHostTab } from '@/components/host/host-tabs';
import { readPageData } from '@/lib/auth/page-session';
import { getHostDetail } from '@/lib/hosts/get-host-detail';
import { AppError } from '@/lib/errors';
import { getConfig } from '@/lib/config';
import { hostName } from '@/lib/schemas/snapshot';

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A segment that does not decode, or decodes to what no host can be called (a NUL byte, a control character), names no host. */
function decodeHostName(raw: string): string {
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    notFound();
  }
  if (!hostName.safeParse(name).success) notFound();
  return name;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeHostName((await params).name) };
}

export default async function HostPage({ params, searchParams }: Props) {
  const { prisma } = await readPageData();
  const { name } = await params;
  const { tab, iface } = await searchParams;
  const detail = await getHostDetail(prisma, decodeHostName(name)).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  return (
    <HostView
      initial={detail}
      initialTab={isHostTab(tab) ? tab : 'listening'}
      focusInterface={typeof iface === 'string' ? iface : null}
      silentAfterIntervals={getConfig().SOCKSCOPE_SILENT_AFTER_INTERVALS}
    />
  );
}
