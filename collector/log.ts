// Log lines go to stderr (stdout carries command output), one line each, secrets redacted.
import { redactSecrets } from './redact';

export interface Logger {
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
}

export interface LoggerOptions {
  /** Strings that must never be printed, such as the host token. */
  secrets?: readonly (string | undefined)[];
  write?: (line: string) => void;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const log = (level: string) => (message: string) => {
    const oneLine = redactSecrets(message, secrets).replace(/\s*\n\s*/g, ' ');
    write(`${now().toISOString()} ${level} ${oneLine}\n`);
  };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything (tests, and commands whose output must stay clean). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
