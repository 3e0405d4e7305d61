import type { GraphNodeInput, GraphRelationInput } from './schema.js';
import type { LocalizedText } from './types.js';

export type Scalar = string | number | boolean;

export interface GraphNode {
  readonly id: string;
  readonly type: string;
  readonly title: LocalizedText;
  readonly synonyms: readonly string[];
  readonly attributes: Readonly<Record<string, Scalar>>;
}

export interface GraphRelation {
  readonly from: string;
  readonly type: string;
  readonly to: string;
  readonly attributes: Readonly<Record<string, Scalar>>;
}

/** A pack's knowledge graph: typed nodes with attributes, typed directed relations with attributes. */
export class KnowledgeGraph {
  private readonly byId = new Map<string, GraphNode>();
  private readonly outgoing = new Map<string, GraphRelation[]>();

  constructor(nodes: readonly GraphNode[], relations: readonly GraphRelation[]) {
    for (const node of nodes) this.byId.set(node.id, node);
    for (const relation of relations) {
      const list = this.outgoing.get(relation.from) ?? [];
      list.push(relation);
      this.outgoing.set(relation.from, list);
    }
  }

  node(id: string): GraphNode | undefined {
    return this.byId.get(id);
  }

  nodesOfType(type: string): GraphNode[] {
    return [...this.byId.values()].filter((node) => node.type === type);
  }

  /** Relations of `type` leaving `from`, in file order. */
  relations(from: string, type: string): GraphRelation[] {
    return (this.outgoing.get(from) ?? []).filter((relation) => relation.type === type);
  }

  relation(from: string, type: string, to: string): GraphRelation | undefined {
    return this.relations(from, type).find((relation) => relation.to === to);
  }

  get size(): number {
    return this.byId.size;
  }
}

export type { GraphNodeInput, GraphRelationInput };

export function numberAttribute(attributes: Readonly<Record<string, Scalar>>, name: string): number | undefined {
  const value = attributes[name];
  return typeof value === 'number' ? value : undefined;
}
