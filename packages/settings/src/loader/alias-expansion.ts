import type { Document } from 'yaml';
import { type FileLimits, overLimit } from './file-limits';
import { loadYaml } from './yaml-module';

/** Why a value cannot be expanded: a problem at the node where it shows. */
export interface ExpansionProblem {
  readonly node: unknown;
  readonly message: string;
}

export type Resolved = { readonly node: unknown } | { readonly problem: ExpansionProblem };

/**
 * Follows the aliases of one config file within its limits: every alias resolved counts against
 * `maxAliases` (an alias bomb stops early instead of growing exponentially), an alias to a collection
 * that contains it is refused (it would never end), and the nesting after expansion stays within
 * `maxDepth`.
 */
export class AliasExpansion {
  #aliases = 0;

  constructor(
    private readonly doc: Document,
    private readonly limits: FileLimits,
  ) {}

  /** The node an alias points at, or the node itself; a problem when the alias budget is spent. */
  resolve(node: unknown): Resolved {
    const { isAlias } = loadYaml();
    if (!isAlias(node)) return { node };
    this.#aliases++;
    if (this.#aliases > this.limits.maxAliases) {
      const what = `expands more than ${this.limits.maxAliases} aliases`;
      return { problem: { node, message: overLimit('maxAliases', what) } };
    }
    return { node: node.resolve(this.doc) };
  }

  /** A problem when a collection at `depth` (the root is 1) would be nested too deep, or contains itself. */
  enter(node: unknown, depth: number, ancestors: ReadonlySet<unknown>): ExpansionProblem | undefined {
    if (ancestors.has(node))
      return { node, message: 'an alias refers to a mapping or list that contains it, which never ends' };
    if (depth > this.limits.maxDepth) {
      const what = `nests deeper than ${this.limits.maxDepth} levels (aliases expanded)`;
      return { node, message: overLimit('maxDepth', what) };
    }
    return undefined;
  }

  /**
   * Checks a value before it is converted to plain data: its aliases within the budget, no cycle, and
   * no nesting deeper than `maxDepth`, counting from `depth`. Returns the first problem found.
   */
  check(node: unknown, depth: number, ancestors: ReadonlySet<unknown>): ExpansionProblem | undefined {
    const { isMap, isPair, isSeq } = loadYaml();
    const resolved = this.resolve(node);
    if ('problem' in resolved) return resolved.problem;
    const value = resolved.node;
    if (!isMap(value) && !isSeq(value)) return undefined;
    const entered = this.enter(value, depth, ancestors);
    if (entered) return { node, message: entered.message };
    const inner = new Set(ancestors).add(value);
    for (const item of value.items as unknown[]) {
      const children = isPair(item) ? [item.key, item.value] : [item];
      for (const child of children) {
        const problem = this.check(child, depth + 1, inner);
        if (problem) return problem;
      }
    }
    return undefined;
  }
}
