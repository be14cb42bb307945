// Options shared by the commands that talk to the server (`run`, `import`), and the spool they configure.
import { Command } from 'commander';
import type { CollectorConfig } from '../config';
import type { Logger } from '../log';
import { Spool } from '../spool';

export function addConnectionOptions(command: Command): Command {
  return command
    .option('--config <file>', 'JSON config file (also SOCKSCOPE_CONFIG); flags override environment override file')
    .option('--server <url>', 'Sockscope server URL (SOCKSCOPE_SERVER)')
    .option('--token <token>', 'host token (SOCKSCOPE_TOKEN; prefer the environment: argv is visible to every user)')
    .option('--timeout <seconds>', 'give up on one POST after this long (SOCKSCOPE_TIMEOUT, default 15)')
    .option('--spool-dir <dir>', 'where unsent snapshots wait (SOCKSCOPE_SPOOL_DIR, default ~/.sockscope/spool)')
    .option('--spool-max-bytes <bytes>', 'spool bound in bytes, oldest dropped first (default 52428800)')
    .option('--spool-max-files <count>', 'spool bound in files, oldest dropped first (default 10000)');
}

/** Opens the spool in --spool-dir, bounded by --spool-max-bytes and --spool-max-files. */
export function openConfiguredSpool(config: CollectorConfig, log: Logger): Promise<Spool> {
  return Spool.open({ dir: config.spoolDir, maxBytes: config.spoolMaxBytes, maxFiles: config.spoolMaxFiles, log });
}
