/**
 * @module services/alarms/composite/evaluate
 * Reading a parsed AlarmRule: which alarms it names, what it evaluates to given the children's
 * states, which children decided that, and which composites reference each other in a cycle.
 *
 * A child that cannot be found (`stateOf` answers `undefined`) is in no state: every state
 * function on it is FALSE. AWS refuses to delete an alarm a composite still references, so
 * this only happens transiently.
 */
import { parseArn } from '../../../core/arn.js';
import type { AlarmState, RuleExpr } from './rule.js';

export type StateOf = (nameOrArn: string) => AlarmState | undefined;

/**
 * The names/ARNs a rule references, each once, in order of first appearance: what the
 * 100-children limit counts and what cycle detection follows.
 */
export function ruleAlarmRefs(rule: RuleExpr): string[] {
  const seen = new Set<string>();
  const visit = (e: RuleExpr): void => {
    switch (e.kind) {
      case 'const': return;
      case 'state': seen.add(e.ref); return;
      case 'not': visit(e.operand); return;
      case 'and': case 'or': e.operands.forEach(visit); return;
      case 'atLeast': e.refs.forEach((r) => seen.add(r));
    }
  };
  visit(rule);
  return [...seen];
}

function atLeastMatches(e: Extract<RuleExpr, { kind: 'atLeast' }>, stateOf: StateOf): boolean[] {
  return e.refs.map((r) => {
    const s = stateOf(r);
    // a missing child is in no state: it is not in `state`, and so it is "NOT state"
    return e.negate ? s !== e.state : s === e.state;
  });
}

function atLeastHolds(e: Extract<RuleExpr, { kind: 'atLeast' }>, matches: boolean[]): boolean {
  const n = matches.filter(Boolean).length;
  return 'count' in e.threshold ? n >= e.threshold.count : n * 100 >= e.threshold.percent * e.refs.length;
}

/** TRUE puts the composite in ALARM, FALSE in OK. */
export function evaluateRule(rule: RuleExpr, stateOf: StateOf): boolean {
  switch (rule.kind) {
    case 'const': return rule.value;
    case 'state': return stateOf(rule.ref) === rule.state;
    case 'not': return !evaluateRule(rule.operand, stateOf);
    case 'and': return rule.operands.every((o) => evaluateRule(o, stateOf));
    case 'or': return rule.operands.some((o) => evaluateRule(o, stateOf));
    case 'atLeast': return atLeastHolds(rule, atLeastMatches(rule, stateOf));
  }
}

/** The state a composite moves to: ALARM when its rule holds, else OK. */
export function compositeState(rule: RuleExpr, stateOf: StateOf): 'ALARM' | 'OK' {
  return evaluateRule(rule, stateOf) ? 'ALARM' : 'OK';
}

/**
 * The children that decide the rule's current value, for `triggeringAlarms`: for a TRUE `OR`
 * the true branches, for a FALSE `OR` all of them (every branch had to be false), and the
 * mirror image for `AND`. Captured: a FALSE `ALARM(a) OR ALARM(b)` lists both children.
 */
export function decidingRefs(rule: RuleExpr, stateOf: StateOf): string[] {
  const out = new Set<string>();
  const visit = (e: RuleExpr): void => {
    switch (e.kind) {
      case 'const': return;
      case 'state': out.add(e.ref); return;
      case 'not': visit(e.operand); return;
      case 'and':
      case 'or': {
        const value = evaluateRule(e, stateOf);
        // the operands agreeing with the result are the ones that made it
        const deciders = (e.kind === 'or') === value ? e.operands.filter((o) => evaluateRule(o, stateOf) === value) : e.operands;
        deciders.forEach(visit);
        return;
      }
      case 'atLeast': {
        const matches = atLeastMatches(e, stateOf);
        const held = atLeastHolds(e, matches);
        e.refs.forEach((r, i) => { if (matches[i] === held) out.add(r); });
      }
    }
  };
  visit(rule);
  return [...out];
}

/**
 * The alarm name a reference denotes: the name itself, or the `alarm:` resource of a
 * CloudWatch ARN (alarm names may contain colons, so everything after `alarm:` is the name).
 */
export function refToAlarmName(ref: string): string {
  const arn = ref.startsWith('arn:') ? parseArn(ref) : undefined;
  if (arn && arn.service === 'cloudwatch' && arn.resource.startsWith('alarm:')) return arn.resource.slice('alarm:'.length);
  return ref;
}

export type AlarmGraph = ReadonlyMap<string, readonly string[]> | Readonly<Record<string, readonly string[]>>;

/**
 * The cycles among composite alarms: each strongly connected component with more than one
 * alarm, or an alarm that references itself (Tarjan's algorithm, iterative so a long chain of
 * composites cannot overflow the stack). `graph` maps a composite to the alarms its rule
 * references, with names normalised by the caller (see {@link refToAlarmName}); nodes that are
 * not keys (metric alarms) end paths. AWS accepts such rules and only stops evaluating the
 * alarms involved, so callers use this to skip evaluation, not to reject PutCompositeAlarm.
 */
export function findCycles(graph: AlarmGraph): string[][] {
  const edges = graph instanceof Map ? graph : new Map(Object.entries(graph));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;

  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: root, i: 0 }];
    index.set(root, next); low.set(root, next); next++;
    stack.push(root); onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const succ = edges.get(frame.node) ?? [];
      if (frame.i < succ.length) {
        const w = succ[frame.i++];
        if (!index.has(w)) {
          index.set(w, next); low.set(w, next); next++;
          stack.push(w); onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        const selfLoop = component.length === 1 && succ.includes(frame.node);
        if (component.length > 1 || selfLoop) cycles.push(component.reverse());
      }
    }
  }
  return cycles;
}
