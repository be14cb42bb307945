// Empty tabs and pages say what to do, with the exact setting or command.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { NoHosts } from '@/components/fleet/NoHosts';
import { HostNotReported, NotCollected } from '@/components/host/host-empty-states';
import { NoRunsInWindow, NoTracerouteTargets } from '@/components/latency/latency-empty-states';

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ');

describe('empty states', () => {
  it("Latency without runs: how to give a collector traceroute targets, the built-in one through the server's environment", () => {
    const builtIn = text(renderToStaticMarkup(createElement(NoTracerouteTargets, { isBuiltIn: true, windowLabel: '24 hours' })));
    expect(builtIn).toContain('No traceroute runs in the last 24 hours.');
    expect(builtIn).toContain('SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS=192.0.2.1,gateway.example.org npm start');
    expect(builtIn).toContain('SOCKSCOPE_TRACEROUTE_TARGETS=192.0.2.1,gateway.example.org');
    expect(builtIn).toContain('--traceroute 192.0.2.1 gateway.example.org');
    expect(builtIn).toContain('"tracerouteTargets": ["192.0.2.1"]');
    const remote = text(renderToStaticMarkup(createElement(NoTracerouteTargets, { isBuiltIn: false, windowLabel: '24 hours' })));
    expect(remote).not.toContain('built-in');
    expect(remote).not.toContain('SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS');
    expect(remote).toContain('SOCKSCOPE_TRACEROUTE_INTERVAL');
    expect(text(renderToStaticMarkup(createElement(NoRunsInWindow, { target: 'gw.example.net', windowLabel: 'hour' })))).toContain(
      'No traceroute runs to gw.example.net in the last hour.',
    );
  });

  it('a section not collected: which tool output to import with the sockets', () => {
    expect(text(renderToStaticMarkup(createElement(NotCollected, { section: 'processes' })))).toContain(
      'node collector.mjs import --host NAME netstat.txt ps-aux.txt',
    );
    expect(text(renderToStaticMarkup(createElement(NotCollected, { section: 'interfaces' })))).toContain('ifconfig -a');
    expect(text(renderToStaticMarkup(createElement(NotCollected, { section: 'packages' })))).toContain('SOCKSCOPE_PACKAGES_INTERVAL');
  });

  it('a host that never reported: the collector command, and how to replace a lost token, its name as text', () => {
    const html = renderToStaticMarkup(createElement(HostNotReported, { hostName: 'x"><img src=y>' }));
    expect(html).not.toContain('<img');
    expect(text(html)).toContain('npm run admin -- rotate-token x"><img src=y>');
  });

  it('no hosts: how this machine reports, and how to enroll another host', () => {
    const empty = text(renderToStaticMarkup(createElement(NoHosts, { isFiltered: false, onClearFilters: () => undefined })));
    expect(empty).toContain('SOCKSCOPE_LOCAL_COLLECTOR=0');
    expect(empty).toContain('npm run admin -- enroll NAME');
    expect(text(renderToStaticMarkup(createElement(NoHosts, { isFiltered: true, onClearFilters: () => undefined })))).toContain('Show every host');
  });
});
