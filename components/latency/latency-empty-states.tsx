// The Latency tab with nothing to chart: no traceroute targets at all (how to give a collector
// some, the built-in one included), or none run in the chosen window.
import { Code, Command, EmptyState } from '@/components/common/EmptyState';

export function NoTracerouteTargets({ isBuiltIn, windowLabel }: { isBuiltIn: boolean; windowLabel: string }) {
  return (
    <EmptyState title={`No traceroute runs in the last ${windowLabel}.`} testId="latency-empty">
      {isBuiltIn && (
        <>
          <p>
            This host is reported by the server&apos;s built-in collector. Give it targets in the server&apos;s environment, traced every{' '}
            <Code>SOCKSCOPE_LOCAL_TRACEROUTE_INTERVAL</Code> seconds (300 by default), and restart the server:
          </p>
          <Command>SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS=192.0.2.1,gateway.example.org npm start</Command>
        </>
      )}
      <p>
        A host&apos;s collector runs traceroute only to the targets it is given, each every <Code>SOCKSCOPE_TRACEROUTE_INTERVAL</Code> seconds (300 by default;
        a longer window shows older runs), and needs the <Code>traceroute</Code> package. Give it targets in its environment file (
        <Code>/etc/sockscope/collector.env</Code>):
      </p>
      <Command>SOCKSCOPE_TRACEROUTE_TARGETS=192.0.2.1,gateway.example.org</Command>
      <p>
        or as <Code>--traceroute 192.0.2.1 gateway.example.org</Code>, or <Code>&quot;tracerouteTargets&quot;: [&quot;192.0.2.1&quot;]</Code> in its JSON
        config, then restart it. Traceroute output from elsewhere can be imported:
      </p>
      <Command>node collector.mjs import --host NAME --format traceroute traceroute.txt</Command>
    </EmptyState>
  );
}

export function NoRunsInWindow({ target, windowLabel }: { target: string | null; windowLabel: string }) {
  return (
    <EmptyState title={`No traceroute runs ${target ? `to ${target} ` : ''}in the last ${windowLabel}.`} testId="latency-empty">
      <p>
        The collector runs them every <Code>SOCKSCOPE_TRACEROUTE_INTERVAL</Code> seconds (300 by default). Choose a longer window, or check that the host still
        reports and still lists this target in <Code>SOCKSCOPE_TRACEROUTE_TARGETS</Code>.
      </p>
    </EmptyState>
  );
}
