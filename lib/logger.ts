// The server's one logger (pino): JSON lines with levels in production, readable lines when a person
// watches a terminal. Secrets never reach the log through a field: the redact rule below censors
// tokens, passwords, cookies and authorization headers wherever a caller puts them.
import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { getConfig } from '@/lib/config';
import { sharedProcessState } from '@/lib/process-state';

const secretKeys = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'secret',
  'csrfToken',
  'cookie',
  'authorization',
  'set-cookie',
  'x-csrf-token',
  'x-sockscope-admin-secret',
];

/** Each secret key at the top of a log entry's fields, one level down, and in request or response headers. */
const redactPaths = secretKeys.flatMap((key) => {
  const property = /^[A-Za-z]\w*$/.test(key) ? `.${key}` : `["${key}"]`;
  const top = property.startsWith('.') ? key : property;
  return [top, `*${property}`, `headers${property}`, `*.headers${property}`];
});

export function createLogger(settings: { level: string; isProduction: boolean }, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    // Kept in every message, so a line of ours is found among others' with one grep, in JSON or not.
    msgPrefix: '[sockscope] ',
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  const stream = destination ?? (!settings.isProduction && process.stdout.isTTY ? prettyStream() : undefined);
  return stream ? pino(options, stream) : pino(options);
}

/** pino-pretty is a development dependency: without it (a production install) the lines stay JSON. */
function prettyStream(): DestinationStream | undefined {
  try {
    const pretty = createRequire(import.meta.url)('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
    return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true });
  } catch {
    return undefined;
  }
}

/** The process's logger (lib/process-state.ts), made from the configuration on first use. */
export function logger(): Logger {
  return sharedProcessState('logger', () => {
    try {
      const config = getConfig();
      return createLogger({ level: config.SOCKSCOPE_LOG_LEVEL, isProduction: config.NODE_ENV === 'production' });
    } catch {
      // The configuration itself is bad: the logger that reports it keeps the defaults.
      return createLogger({ level: 'info', isProduction: false });
    }
  });
}
