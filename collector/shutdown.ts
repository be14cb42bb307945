// SIGINT/SIGTERM end long-running commands cleanly: the first signal asks the work to wind down
// (finish or spool the send in flight), a second one exits at once.
import type { Logger } from './log';

const signalNumbers = { SIGINT: 2, SIGTERM: 15 } as const;

export interface ShutdownHandle {
  signal: AbortSignal;
  /** Removes the handlers once the command has finished. */
  dispose: () => void;
}

export function handleShutdownSignals(log: Logger): ShutdownHandle {
  const controller = new AbortController();
  const onSignal = (name: keyof typeof signalNumbers) => {
    if (controller.signal.aborted) {
      log.warn(`${name} again: exiting now`);
      process.exit(128 + signalNumbers[name]);
    }
    log.info(`${name}: finishing the send in flight, then exiting`);
    controller.abort(new Error(name));
  };
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    },
  };
}
