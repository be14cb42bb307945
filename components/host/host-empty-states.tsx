// What a host's empty tabs say: a section its snapshots do not carry (and how to send it), no
// sockets, no packages, or a host that has not reported at all.
import { Code, Command, EmptyState } from '@/components/common/EmptyState';
import type { SocketVariant } from './socket-columns';

const importHelp = {
  processes: {
    tool: 'ps',
    file: 'ps-aux.txt',
    how: (
      <>
        with a header line: <Code>ps aux</Code>, <Code>ps -ef</Code> or <Code>ps -eo …</Code>
      </>
    ),
  },
  interfaces: {
    tool: 'interface',
    file: 'ip-addr.txt',
    how: (
      <>
        <Code>ip addr</Code>, <Code>ip -d link</Code> or <Code>ifconfig -a</Code>
      </>
    ),
  },
} as const;

export function NotCollected({ section }: { section: 'processes' | 'interfaces' | 'packages' }) {
  if (section === 'packages') {
    return (
      <div className="p-4">
        <EmptyState title="Packages were not collected.">
          <p>
            A collector reads the installed packages (dpkg, rpm, apk) with its first snapshot, then every <Code>SOCKSCOPE_PACKAGES_INTERVAL</Code> seconds (an
            hour by default; <Code>0</Code> turns them off) and whenever the package database changes. A host with none of these databases, or whose collector
            is older than this server, sends none; a list that could not be read is tried again at the next interval (the collector&apos;s log says why).
          </p>
          <p>For a host without a collector, import a list:</p>
          <Command>node collector.mjs import --host NAME --format dpkg-l|rpm-qa|apk-info FILE</Command>
        </EmptyState>
      </div>
    );
  }
  const help = importHelp[section];
  return (
    <div className="p-4">
      <EmptyState title={`${section === 'processes' ? 'Processes' : 'Interfaces'} were not collected.`}>
        <p>
          This host&apos;s snapshots come from imported tool output without {section === 'processes' ? 'a process list' : 'an interface list'}; a collector
          running on the host reads them itself. Import the {help.tool} output ({help.how}) together with the sockets, as one snapshot:
        </p>
        <Command>{`node collector.mjs import --host NAME netstat.txt ${help.file}`}</Command>
        <p>
          Each file&apos;s format is recognised (<Code>--format auto</Code>); the formats are listed in <Code>docs/collector.md</Code>.
        </p>
      </EmptyState>
    </div>
  );
}

export function NoSockets({ variant }: { variant: SocketVariant }) {
  return variant === 'listening' ? (
    <EmptyState title="Nothing listened when the latest snapshot was taken.">
      <p>New listeners show here live, highlighted, and raise an alert.</p>
    </EmptyState>
  ) : (
    <EmptyState title="No established connection in the latest snapshot." />
  );
}

export function NoPackages() {
  return (
    <EmptyState title="The latest package list is empty.">
      <p>The host&apos;s package database (dpkg, rpm or apk) lists nothing installed.</p>
    </EmptyState>
  );
}

export function HostNotReported({ hostName }: { hostName: string }) {
  return (
    <div className="panel p-4">
      <EmptyState title={`${hostName} has not reported yet.`} testId="host-not-reported">
        <p>
          It is enrolled; its first snapshot shows here live. On the host, run the collector with the token <Code>npm run admin -- enroll</Code> printed (a
          systemd unit and a cron line are in <Code>docs/collector.md</Code>):
        </p>
        <Command>{`SOCKSCOPE_SERVER=<this dashboard's URL> SOCKSCOPE_TOKEN=<the token> node collector.mjs run`}</Command>
        <p>A token that was lost can be replaced (the old one stops working):</p>
        <Command>{`npm run admin -- rotate-token ${hostName}`}</Command>
      </EmptyState>
    </div>
  );
}
