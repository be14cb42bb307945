import { authorize } from '@/lib/auth/principal';
import { clientAddress } from '@/lib/http/client-address';
import { AppError } from '@/lib/errors';
import { readJsonBody } from '@/lib/http/read-json-body';
import { getConfig } from '@/lib/config';
import { handle, json } from '@/lib/http/respond';
import { changeOwnPassword, passwordChangeSchema } from '@/lib/users/passwords';

/** Change your own password: {currentPassword, newPassword}; every other session of the account ends. */
export const POST = handle(async (request: Request) => {
  const { prisma, principal } = await authorize(request, 'viewer');
  // A script's API token is no way to take over the account it belongs to.
  if (principal.via !== 'session') throw new AppError('forbidden', 'Change a password signed in to the dashboard, not with an API token.');
  const change = passwordChangeSchema.parse(await readJsonBody(request));
  const address = clientAddress(request, getConfig().SOCKSCOPE_TRUST_PROXY);
  return json({ changed: true, ...(await changeOwnPassword(prisma, principal, change, address)) });
});
