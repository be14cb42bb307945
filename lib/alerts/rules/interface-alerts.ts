// Promiscuous mode is the classic sign of a sniffer: alert when an interface enters or leaves it.
import type { InterfaceRow } from '@/lib/schemas/snapshot';
import { interfaceLabel, listPromiscuousTransitions } from '@/lib/diff/interface-diff';
import { isExpectedPromiscuous } from '@/lib/alerts/rules/expected';
import { createCandidate, type AlertCandidate, type AlertRuleInput } from '@/lib/alerts/rules/types';
import { placeFields } from '@/lib/schemas/container-name';

export function evaluatePromiscuousAlerts(input: AlertRuleInput): AlertCandidate[] {
  const currentInterfaces = input.current.interfaces;
  if (currentInterfaces === undefined) return [];
  const previousInterfaces = input.previous?.interfaces;
  const isUnexpected = (row: InterfaceRow) => !isExpectedPromiscuous(row.name, input.promiscuousRules);
  // First interfaces seen for this host: a sniffer already running must not go unnoticed.
  if (previousInterfaces === undefined) {
    return currentInterfaces
      .filter((row) => row.promiscuous && isUnexpected(row))
      .sort((a, b) => (interfaceLabel(a) < interfaceLabel(b) ? -1 : interfaceLabel(a) > interfaceLabel(b) ? 1 : 0))
      .map((row) => createPromiscuousOnAlert(input.hostName, row, 'is in'));
  }
  const transitions = listPromiscuousTransitions(input.diff.interfaces);
  const currentByName = indexByName(currentInterfaces);
  const previousByName = indexByName(previousInterfaces);
  const entered = transitions.on.map((label) => currentByName.get(label));
  const left = transitions.off.map((label) => currentByName.get(label) ?? previousByName.get(label));
  return [
    ...entered
      .filter(isDefined)
      .filter(isUnexpected)
      .map((row) => createPromiscuousOnAlert(input.hostName, row, 'entered')),
    ...left
      .filter(isDefined)
      .filter(isUnexpected)
      .map((row) => createPromiscuousOffAlert(input.hostName, row)),
  ];
}

function createPromiscuousOnAlert(hostName: string, row: InterfaceRow, verb: 'entered' | 'is in'): AlertCandidate {
  const label = interfaceLabel(row);
  const message = `${hostName}: interface ${label} ${verb} promiscuous mode`;
  return createCandidate('interface.promiscuous_on', `interface.promiscuous_on:${label}`, message, describeInterface(row), label);
}

function createPromiscuousOffAlert(hostName: string, row: InterfaceRow): AlertCandidate {
  const label = interfaceLabel(row);
  const message = `${hostName}: interface ${label} left promiscuous mode`;
  return createCandidate('interface.promiscuous_off', `interface.promiscuous_off:${label}`, message, describeInterface(row), label);
}

function describeInterface(row: InterfaceRow): Record<string, unknown> {
  return {
    name: row.name,
    flags: row.flags,
    mac: row.mac,
    addresses: row.addresses,
    ...placeFields(row),
  };
}

function indexByName(rows: readonly InterfaceRow[]): Map<string, InterfaceRow> {
  return new Map(rows.map((row) => [interfaceLabel(row), row] as const));
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
