import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { machineOf } from './process';
import type { VariantConfig } from './variant-config';

/** Timer events are accepted in every open phase; listing them on each state only hides the rules. */
const timerEvents = ['reminder.sent', 'escalation.raised', 'deadline.reached'];

interface GuardLike {
  guards?: unknown[];
  type?: string;
}

function guardNames(guard: unknown): string[] {
  if (!guard) return [];
  const g = guard as GuardLike;
  const parts = typeof guard === 'function' ? (g.guards ?? []) : [guard];
  return parts.map((p) => (typeof p === 'string' ? p : ((p as GuardLike).type ?? '?')));
}

/**
 * The statechart of a variant as Mermaid text, generated from the machine itself so that it cannot drift
 * from the rules. Events that stay in the same state (recording data) are listed in a note per state;
 * timer events are left out of the notes, and appear only where they change the phase.
 */
export function mermaidOf(config: VariantConfig): string {
  const machine: AnyStateMachine = machineOf(config);
  const lines = [
    '---',
    `title: ${config.key} v${config.version} (${config.labels.fi})`,
    '---',
    'stateDiagram-v2',
  ];
  const edges: string[] = [];

  const visit = (node: AnyStateNode, indent: string) => {
    const children = Object.values(node.states) as AnyStateNode[];
    if (children.length === 0) lines.push(`${indent}${node.key}`);
    if (children.length > 0 && node !== machine.root) lines.push(`${indent}state ${node.key} {`);
    const inner = node === machine.root ? indent : `${indent}  `;
    if (children.length > 0)
      lines.push(`${inner}[*] --> ${node.initial?.target?.[0]?.key ?? children[0]?.key}`);
    for (const child of children) visit(child, inner);
    if (children.length > 0 && node !== machine.root) lines.push(`${indent}}`);
    const stays: string[] = [];
    for (const [event, transitions] of node.transitions) {
      for (const t of transitions) {
        const guards = guardNames(t.guard);
        const label = guards.length ? `${event} [${guards.join(', ')}]` : event;
        const target = t.target?.[0];
        if (target && target !== node) edges.push(`  ${node.key} --> ${target.key}: ${label}`);
        else if (!stays.includes(event) && !timerEvents.includes(event)) stays.push(event);
      }
    }
    if (node.key === 'closed' && (node.type === 'final' || node.transitions.size === 0))
      edges.push('  closed --> [*]');
    if (stays.length) lines.push(`${indent}note right of ${node.key}: ${stays.join(', ')}`);
  };
  visit(machine.root, '  ');
  return [...lines, ...edges, ''].join('\n');
}
