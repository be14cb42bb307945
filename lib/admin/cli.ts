// `npm run admin -- enroll NAME` and friends: each prints one line. With DATABASE_URL the CLI opens
// PostgreSQL itself; with the embedded database it takes DATA_DIR's lock and opens it, or — when
// the running server holds the lock — asks that server to run the command.
import { Command } from 'commander';
import { ZodError } from 'zod';
import { AppError } from '@/lib/errors';
import { getConfig, type ServerConfig } from '@/lib/config';
import { DataDirInUseError } from '@/lib/data-dir/data-dir-lock';
import { openDatabase } from '@/lib/db/open-database';
import { runAdminCommand, type AdminCommand } from './commands';
import { readServerHandle, type ServerHandle } from './server-handle';

async function execute(command: AdminCommand): Promise<void> {
  const config = getConfig();
  const line = config.DATABASE_URL ? await runDirectly(config, command) : await runOnEmbedded(config, command);
  process.stdout.write(`${line}\n`);
}

async function runOnEmbedded(config: ServerConfig, command: AdminCommand): Promise<string> {
  // Whatever the CLI writes into DATA_DIR (the database, when no server holds it) is private too.
  process.umask(0o077);
  try {
    return await runDirectly(config, command);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    const handle = await readServerHandle(config.dataDir);
    // The lock's holder is the running server: it runs the command on its database for us.
    if (handle?.pid !== error.pid) throw error;
    return runThroughServer(handle, command);
  }
}

async function runThroughServer(handle: ServerHandle, command: AdminCommand): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${handle.port}/internal/admin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sockscope-admin-secret': handle.secret },
    body: JSON.stringify(command),
  });
  const body = (await response.json()) as { line?: string; error?: { code?: string; message: string } };
  if (response.status === 400) throw new AppError('bad_request', body.error?.message ?? 'bad input');
  if (!response.ok || !body.line) throw new Error(body.error?.message ?? `server answered ${response.status}`);
  return body.line;
}

async function runDirectly(config: ServerConfig, command: AdminCommand): Promise<string> {
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  try {
    return await runAdminCommand(database.prisma, command);
  } finally {
    await database.close();
  }
}

const program = new Command('admin').description('Sockscope administration').showHelpAfterError();
const collect = (value: string, previous: string[]) => [...previous, value];

program
  .command('enroll')
  .argument('<name>', 'host name, as its collector reports it')
  .option('--label <label>', 'host label (repeatable)', collect, [])
  .description('enrol a host and print its collector token')
  .action((name: string, options: { label: string[] }) => execute({ command: 'enroll', host: name, labels: options.label }));
program
  .command('rotate-token')
  .argument('<name>')
  .description("revoke a host's tokens and print a new one")
  .action((name: string) => execute({ command: 'rotate-token', host: name }));
program
  .command('revoke-token')
  .argument('<name>')
  .description('revoke every token of a host')
  .action((name: string) => execute({ command: 'revoke-token', host: name }));
program
  .command('api-token')
  .argument('<user>')
  .option('--role <role>', 'role if the user is created', 'admin')
  .description('print an API token for an analyst (created as an admin if missing)')
  .action((user: string, options: { role: 'admin' | 'analyst' | 'viewer' }) => execute({ command: 'api-token', user, role: options.role }));
program
  .command('create-user')
  .argument('<user>')
  .requiredOption('--role <role>', 'admin, analyst or viewer')
  .description('create an analyst account and print its generated password')
  .action((user: string, options: { role: 'admin' | 'analyst' | 'viewer' }) => execute({ command: 'create-user', user, role: options.role }));

program
  .command('reset-password')
  .argument('<user>')
  .description('give an account a generated password (printed), ending its sessions')
  .action((user: string) => execute({ command: 'reset-password', user }));

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof ZodError ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') : (error as Error).message;
  process.stderr.write(`admin: ${message}\n`);
  // Bad input (a malformed name, an unknown role) exits 2, like every Sockscope command line.
  const isBadInput = error instanceof ZodError || (error instanceof AppError && error.code === 'bad_request');
  process.exit(isBadInput ? 2 : 1);
});
