// Promiscuous mode is the classic sign of a sniffer: alert when an interface enters or leaves it.
import type { InterfaceRow } from '@/lib/schemas/snapshot';
import { listPromiscuousTransitions } from '@/lib/diff/interface-diff';
import { isExpectedPromiscuous } from '@/lib/alerts/promiscuous-rules';
import { createCandidate, type AlertCandidate, type AlertRuleInput } from '@/lib/alerts/types';

export function evaluatePromiscuousAlerts(input: AlertRuleInput): AlertCandidate[] {
  const currentInterfaces = input.current.interfaces;
  if (currentInterfaces === undefined) return [];
  const previousInterfaces = input.previous?.interfaces;
  const isUnexpected = (name: string) => !isExpectedPromiscuous(name, input.promiscuousRules);
  // First interfaces seen for this host: a sniffer already running must not go unnoticed.
  if (previousInterfaces === undefined) {
    return currentInterfaces
      .filter((row) => row.promiscuous && isUnexpected(row.name))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((row) => createPromiscuousOnAlert(input.hostName, row, 'is in'));
  }
  const transitions = listPromiscuousTransitions(input.diff.interfaces);
  const currentByName = indexByName(currentInterfaces);
  const previousByName = indexByName(previousInterfaces);
  const entered = transitions.on.filter(isUnexpected).map((name) => currentByName.get(name));
  const left = transitions.off.filter(isUnexpected).map((name) => currentByName.get(name) ?? previousByName.get(name));
  return [
    ...entered.filter(isDefined).map((row) => createPromiscuousOnAlert(input.hostName, row, 'entered')),
    ...left.filter(isDefined).map((row) => createPromiscuousOffAlert(input.hostName, row)),
  ];
}

function createPromiscuousOnAlert(hostName: string, row: InterfaceRow, verb: 'entered' | 'is in'): AlertCandidate {
  const message = `${hostName}: interface ${row.name} ${verb} promiscuous mode`;
  return createCandidate('interface.promiscuous_on', `interface.promiscuous_on:${row.name}`, message, describeInterface(row), row.name);
}

function createPromiscuousOffAlert(hostName: string, row: InterfaceRow): AlertCandidate {
  const message = `${hostName}: interface ${row.name} left promiscuous mode`;
  return createCandidate('interface.promiscuous_off', `interface.promiscuous_off:${row.name}`, message, describeInterface(row), row.name);
}

function describeInterface(row: InterfaceRow): Record<string, unknown> {
  return { name: row.name, flags: row.flags, mac: row.mac, addresses: row.addresses };
}

function indexByName(rows: readonly InterfaceRow[]): Map<string, InterfaceRow> {
  return new Map(rows.map((row) => [row.name, row] as const));
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
