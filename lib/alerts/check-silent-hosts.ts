// Hosts whose collector stopped reporting: one host.silent alert per silence (cleared by the next
// snapshot, which resets silentAlertedAt), pushed live and forwarded like every alert.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { countOpenAlerts, recordAlerts } from '@/lib/alerts/record-alerts';
import { silentHostAlert } from '@/lib/alerts/rules/evaluate-alerts';
import { prismaSqlRunner } from '@/lib/db/sql-client';
import { forwardAlerts } from '@/lib/forwarding/forward-alerts';
import { publishToHost } from '@/lib/realtime/publish';

export async function checkSilentHosts(prisma: PrismaClient, missedIntervals: number, now = new Date()): Promise<string[]> {
  // Coarse filter in SQL (no host is silent sooner than one second per interval); exact rule in silentHostAlert.
  const candidates = await prisma.host.findMany({
    where: { silentAlertedAt: null, lastSeenAt: { not: null, lt: new Date(now.getTime() - missedIntervals * 1000) } },
    select: { id: true, name: true, lastSeenAt: true, intervalSeconds: true },
  });
  const silenced: string[] = [];
  for (const host of candidates) {
    const candidate = silentHostAlert(host.name, host.lastSeenAt!, host.intervalSeconds, missedIntervals, now);
    if (!candidate) continue;
    const alerts = await prisma.$transaction(async (tx) => {
      // Only one node (or tick) raises it: the update claims the silence.
      const claimed = await tx.host.updateMany({ where: { id: host.id, silentAlertedAt: null }, data: { silentAlertedAt: now } });
      if (claimed.count === 0) return [];
      const sql = prismaSqlRunner(tx);
      const recorded = await recordAlerts(sql, host, [candidate], null);
      await tx.host.update({ where: { id: host.id }, data: { openAlertCount: await countOpenAlerts(sql, host.id) } });
      return recorded;
    });
    if (alerts.length === 0) continue;
    publishToHost(host.name, 'host:silent', { host: host.name, lastSeenAt: host.lastSeenAt?.toISOString() ?? null });
    for (const alert of alerts) publishToHost(host.name, 'alert', alert);
    forwardAlerts(alerts);
    silenced.push(host.name);
  }
  return silenced;
}
