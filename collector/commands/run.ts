// `run`: gather this machine's snapshot every interval and send it, spooling whatever cannot go yet.
import { Command } from 'commander';
import { assertNativeCollectionSupported, collectThisMachineSnapshot } from '../this-machine-snapshot';
import { cacheDirectory } from '../cache-files';
import { type ConfigFlags, loadConfig } from '../config';
import { ONE_SHOT_HASH_BUDGET } from '../gather/linux/executable-hashes';
import { loadExecutableHashCache, saveExecutableHashCache } from '../gather/linux/executable-hash-file';
import { PackageSchedule } from '../gather/packages/package-schedule';
import { releaseMemory } from '../daemon-memory';
import { createLogger } from '../log';
import { runCollector } from '../run-loop';
import { handleShutdownSignals } from '../shutdown';
import { TracerouteRunner } from '../traceroute-runner';
import { COLLECTOR_VERSION } from '../version';
import { addConnectionOptions, openConfiguredSpool } from './connection-options';

interface RunFlags extends ConfigFlags {
  once?: boolean;
}

export function runCommand(): Command {
  return addConnectionOptions(new Command('run'))
    .description('gather and send snapshots on a schedule (spooling them while the server is unreachable)')
    .option('--interval <seconds>', 'seconds between snapshots (SOCKSCOPE_INTERVAL, default 60)')
    .option('--once', 'send one snapshot (after any spooled ones) and exit: 0 sent or spooled, 1 refused')
    .option('--traceroute <targets...>', 'trace to these hosts (SOCKSCOPE_TRACEROUTE_TARGETS, comma-separated)')
    .option('--traceroute-interval <seconds>', 'seconds between traceroute rounds (default 300)')
    .option('--packages-interval <seconds>', 'seconds between package lists, sooner when a package database changes (default 3600, 0 = off)')
    .option('--time-wait', 'report TCP TIME_WAIT entries too, connections already closed (SOCKSCOPE_COLLECT_TIME_WAIT, default off)')
    .option('--no-time-wait', 'leave TIME_WAIT entries out even when the environment or config file asks for them')
    .action(async (flags: RunFlags) => {
      process.exitCode = await runFromFlags(flags);
    });
}

async function runFromFlags(flags: RunFlags): Promise<number> {
  const { config, warnings } = loadConfig({ flags, required: ['server', 'token'] });
  assertNativeCollectionSupported();
  const log = createLogger({ secrets: [config.token] });
  for (const warning of warnings) log.warn(warning);
  const shutdown = handleShutdownSignals(log);
  const spool = await openConfiguredSpool(config, log);
  const traceroutes = new TracerouteRunner({
    targets: config.tracerouteTargets,
    intervalMs: config.tracerouteIntervalSeconds * 1000,
    log,
  });
  const packages = new PackageSchedule({ intervalMs: config.packagesIntervalSeconds * 1000, log });
  // Digests kept from earlier runs, so that a restart or the next `--once` hashes only new binaries.
  const hashCacheDirectory = cacheDirectory();
  const hashCache = loadExecutableHashCache(hashCacheDirectory);
  try {
    // With --once (cron), the traces belong in the one snapshot sent, so wait for them.
    if (flags.once) await traceroutes.traceAllTargets();
    else traceroutes.start();
    log.info(
      `collector ${COLLECTOR_VERSION} sending to ${config.server}` + (flags.once ? ' once' : ` every ${config.intervalSeconds} s`) + ` (spool ${spool.dir})`,
    );
    const summary = await runCollector({
      server: config.server,
      token: config.token,
      intervalMs: config.intervalSeconds * 1000,
      timeoutMs: config.timeoutSeconds * 1000,
      once: Boolean(flags.once),
      spool,
      log,
      stopSignal: shutdown.signal,
      beforeSleep: releaseMemory,
      collect: async () => {
        const snapshot = await collectThisMachineSnapshot({
          traceroutes: traceroutes.takeResults(),
          readPackages: () => packages.takeIfDue(),
          secrets: [config.token],
          includeTimeWait: config.collectTimeWait,
          hashCache,
          hashBudget: flags.once ? ONE_SHOT_HASH_BUDGET : undefined,
        });
        saveExecutableHashCache(hashCacheDirectory, hashCache);
        return snapshot;
      },
    });
    return summary.exitCode;
  } finally {
    await traceroutes.stop();
    shutdown.dispose();
  }
}
