/**
 * @module services/events/rule-index
 * The rules and archives of every bus, in memory, each bus's event patterns in one shared
 * `PatternSet` (core/patterns), so matching an event costs about the same with ten thousand rules
 * as with ten. The tables are the truth: the index is loaded once, and every write refreshes the
 * rule or archive it touched after its transaction committed.
 */
import { compileEventPattern, createPatternSet, type CompiledPattern, type PatternSet } from '../../core/patterns/index.js';
import type { Store } from '../../store/store.js';
import { DEFAULT_BUS } from './model.js';
import { allArchives, allRules, allTargets, getArchiveByArn, type ArchiveRow, type RuleRow, type TargetRow } from './store.js';
import type { TargetSpec } from './targets.js';

export interface LiveRule {
  arn: string;
  name: string;
  bus: string;
  accountId: string;
  region: string;
  state: string;
  schedule: string | null;
  targets: TargetSpec[];
}

export interface LiveArchive {
  arn: string;
  accountId: string;
  region: string;
  /** the bus it archives */
  busArn: string;
  pattern: CompiledPattern | null;
  retentionDays: number;
}

interface BusEntry {
  set: PatternSet<LiveRule>;
  archives: Map<string, LiveArchive>;
}

const key = (accountId: string, region: string, bus: string) => `${accountId}\u0000${region}\u0000${bus}`;

export class RuleIndex {
  private readonly buses = new Map<string, BusEntry>();
  private readonly rules = new Map<string, LiveRule>();
  private readonly archives = new Map<string, LiveArchive>();
  private loading: Promise<void> | undefined;

  constructor(private readonly store: Store) {}

  /** Loads every rule, target and archive once; later calls wait for the same load. */
  ready(): Promise<void> {
    return (this.loading ??= this.load());
  }

  private async load(): Promise<void> {
    const [rules, targets, archives] = await Promise.all([allRules(this.store), allTargets(this.store), allArchives(this.store)]);
    const byRule = new Map<string, TargetRow[]>();
    for (const t of targets) {
      const list = byRule.get(t.rule_arn);
      if (list) list.push(t);
      else byRule.set(t.rule_arn, [t]);
    }
    for (const r of rules) this.put(r, byRule.get(r.arn) ?? []);
    for (const a of archives) this.putArchive(a);
  }

  private bus(accountId: string, region: string, bus: string): BusEntry {
    const k = key(accountId, region, bus);
    let e = this.buses.get(k);
    if (!e) this.buses.set(k, (e = { set: createPatternSet<LiveRule>(), archives: new Map() }));
    return e;
  }

  /** Puts (or replaces) a rule as its rows now say. */
  put(row: RuleRow, targets: readonly TargetRow[]): void {
    this.remove(row.arn);
    const rule: LiveRule = {
      arn: row.arn, name: row.name, bus: row.bus_name, accountId: row.account_id, region: row.region, state: row.state,
      schedule: row.schedule_expression, targets: targets.map((t) => JSON.parse(t.spec) as TargetSpec),
    };
    this.rules.set(rule.arn, rule);
    if (row.event_pattern && rule.state !== 'DISABLED') {
      // the pattern was validated when the rule was written; a stored one that no longer
      // compiles (a stricter version) matches nothing rather than stopping the service
      try {
        this.bus(rule.accountId, rule.region, rule.bus).set.add(rule.arn, compileEventPattern(row.event_pattern, { maxLength: Infinity }), rule);
      } catch {
        /* left out of the set */
      }
    }
  }

  remove(arn: string): void {
    const old = this.rules.get(arn);
    if (!old) return;
    this.rules.delete(arn);
    this.buses.get(key(old.accountId, old.region, old.bus))?.set.remove(arn);
  }

  get(arn: string): LiveRule | undefined {
    return this.rules.get(arn);
  }

  /** Rules of a bus whose pattern matches `event` (enabled ones only), in creation order. */
  match(accountId: string, region: string, bus: string, event: unknown): LiveRule[] {
    const e = this.buses.get(key(accountId, region, bus));
    return e ? e.set.match(event) : [];
  }

  scheduled(): LiveRule[] {
    return [...this.rules.values()].filter((r) => r.schedule !== null);
  }

  putArchive(row: ArchiveRow): void {
    this.removeArchive(row.arn);
    const bus = row.source_arn.slice(row.source_arn.indexOf(':event-bus/') + ':event-bus/'.length) || DEFAULT_BUS;
    const a: LiveArchive = {
      arn: row.arn, accountId: row.account_id, region: row.region, busArn: row.source_arn, retentionDays: row.retention_days,
      pattern: row.event_pattern ? compileEventPattern(row.event_pattern, { maxLength: Infinity }) : null,
    };
    this.archives.set(a.arn, a);
    this.bus(a.accountId, a.region, bus).archives.set(a.arn, a);
  }

  removeArchive(arn: string): void {
    const old = this.archives.get(arn);
    if (!old) return;
    this.archives.delete(arn);
    for (const e of this.buses.values()) e.archives.delete(arn);
  }

  async refreshArchive(arn: string): Promise<void> {
    const row = await getArchiveByArn(this.store, arn);
    if (row) this.putArchive(row);
    else this.removeArchive(arn);
  }

  allArchives(): LiveArchive[] {
    return [...this.archives.values()];
  }

  /** Archives of a bus that keep `event` (replayed events are never archived again). */
  archivesFor(accountId: string, region: string, bus: string, event: Record<string, unknown>): LiveArchive[] {
    const e = this.buses.get(key(accountId, region, bus));
    if (!e || e.archives.size === 0 || 'replay-name' in event) return [];
    const out: LiveArchive[] = [];
    for (const a of e.archives.values()) if (!a.pattern || a.pattern.matches(event)) out.push(a);
    return out;
  }
}
