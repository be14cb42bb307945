import { notFound } from 'next/navigation';
import { HostView } from '@/components/host/HostView';
import { getPrisma } from '@/lib/db/client';
import { getHostDetail } from '@/lib/hosts/get-host-detail';
import { AppError } from '@/lib/http/errors';

export default async function HostPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const detail = await getHostDetail(await getPrisma(), decodeURIComponent(name)).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  });
  return <HostView initial={detail} />;
}
