import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { HostView } from '@/components/host/HostView';
import { isHostTab } from '@/components/host/host-tabs';
import { readPageData } from '@/lib/auth/page-session';
import { getHostDetail } from '@/lib/hosts/get-host-detail';
import { getConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { decodeHostName } from './host-name-param';

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

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
