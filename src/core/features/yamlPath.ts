/** Where an offset falls in the YAML tree, and what the runbook schema says about that place. */
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node, Pair } from 'yaml';
import schema from '../../../schemas/runbook.schema.json';
import type { ParsedDocument } from '../format/parse';

export type PathSegment = string | number;

export interface NodeHit {
  /** Keys and sequence indexes from the root to the hit node (for a key hit, ends with that key). */
  path: PathSegment[];
  /** 'key': on a mapping key; 'value': on a scalar mapping value; 'item': on a scalar sequence item. */
  part: 'key' | 'value' | 'item';
  start: number;
  end: number;
  /** The scalar's value, for value and item hits. */
  value?: unknown;
}

/** The innermost key or scalar at `offset` (the end of a word counts, so a cursor after it still hits). */
export function nodeAt(doc: ParsedDocument, offset: number): NodeHit | undefined {
  return visit(doc.contents as Node | null, [], offset);
}

function contains(node: Node | null | undefined, offset: number): node is Node {
  return !!node?.range && node.range[0] <= offset && offset <= node.range[1];
}

function visit(node: Node | null, path: PathSegment[], offset: number): NodeHit | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const pair = item as Pair<Node | null, Node | null>;
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      if (contains(pair.key, offset)) return { path: [...path, key], part: 'key', start: pair.key!.range![0], end: pair.key!.range![1] };
      if (contains(pair.value, offset)) {
        if (isScalar(pair.value))
          return { path: [...path, key], part: 'value', start: pair.value.range![0], end: pair.value.range![1], value: pair.value.value };
        return visit(pair.value, [...path, key], offset);
      }
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (let index = 0; index < node.items.length; index++) {
      const item = node.items[index] as Node | null;
      if (!contains(item, offset)) continue;
      if (isScalar(item)) return { path: [...path, index], part: 'item', start: item.range![0], end: item.range![1], value: item.value };
      return visit(item, [...path, index], offset);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The schema

export interface SchemaNode {
  type?: string | string[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  $ref?: string;
  then?: SchemaNode;
  else?: SchemaNode;
}

const ROOT = schema as unknown as SchemaNode & { definitions: Record<string, SchemaNode> };

function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
  for (let depth = 0; node?.$ref && depth < 10; depth++) {
    const name = /^#\/definitions\/(.+)$/.exec(node.$ref)?.[1];
    node = name ? ROOT.definitions[name] : undefined;
  }
  return node;
}

/**
 * The schema of the mapping at `path` (keys; any number stands for a sequence item).
 * A step's schema depends on its action: `actionOf` gives it for the step at a steps index.
 */
export function mappingSchema(
  path: readonly PathSegment[],
  actionOf?: (stepIndex: number) => string | undefined,
  presentKeys?: ReadonlySet<string>,
): SchemaNode | undefined {
  let node: SchemaNode | undefined = ROOT;
  for (let i = 0; i < path.length && node; i++) {
    const segment = path[i];
    if (typeof segment === 'number') {
      // The mailboxes definition is "a list of mailboxes, else { count, averageSizeMB }".
      const list: SchemaNode | undefined = node.then?.items ? node.then : node;
      node = resolve(list.items);
      if (node === ROOT.definitions.step && i === 1 && path[0] === 'steps') {
        const action = actionOf?.(segment);
        node = (action && ROOT.definitions[`step-${action}`]) || commonStepSchema();
      }
    } else {
      node = resolve(objectSchema(node, new Set([segment])).properties?.[segment]);
    }
  }
  return node && objectSchema(node, presentKeys);
}

/**
 * A mapping's schema where the definition is an if/then/else over shapes (`mailboxes`: a list, a
 * `{ file }`, or `{ count, averageSizeMB }`): the mapping shapes that have every key already
 * present (all of them when none does), their fields merged.
 */
function objectSchema(node: SchemaNode, presentKeys?: ReadonlySet<string>): SchemaNode {
  if (node.properties || (!node.then && !node.else)) return node;
  const shapes: SchemaNode[] = [];
  const collect = (branch: SchemaNode | undefined) => {
    if (!branch) return;
    if (branch.properties) shapes.push(branch);
    else {
      collect(branch.then);
      collect(branch.else);
    }
  };
  collect(node);
  const present = [...(presentKeys ?? [])];
  const fitting = shapes.filter((shape) => present.every((key) => key in (shape.properties ?? {})));
  const chosen = fitting.length > 0 ? fitting : shapes;
  if (chosen.length === 1) return chosen[0];
  return { type: 'object', properties: Object.assign({}, ...chosen.map((shape) => shape.properties)) };
}

/** Before a step has a (known) action: the fields every action takes (id, title, notes, start, action). */
let commonStep: SchemaNode | undefined;
function commonStepSchema(): SchemaNode {
  if (commonStep) return commonStep;
  const actions = (ROOT.definitions.step.properties?.action?.enum ?? []) as string[];
  const perAction = actions.map((action) => ROOT.definitions[`step-${action}`]?.properties ?? {});
  const properties: Record<string, SchemaNode> = {};
  for (const [key, property] of Object.entries(perAction[0] ?? {}))
    if (perAction.every((props) => key in props)) properties[key] = property;
  commonStep = { ...ROOT.definitions.step, properties };
  return commonStep;
}

/** The schema of one field: the last segment of `path` is its key. */
export function fieldSchema(path: readonly PathSegment[], actionOf?: (stepIndex: number) => string | undefined): SchemaNode | undefined {
  const key = path[path.length - 1];
  if (typeof key !== 'string') return undefined;
  const parent = mappingSchema(path.slice(0, -1), actionOf);
  const field = resolve(parent?.properties?.[key]);
  return field;
}

export function typeLabel(node: SchemaNode | undefined): string {
  if (!node) return '';
  if (node.enum) return node.enum.map(String).join(' | ');
  if (Array.isArray(node.type)) return node.type.join(' | ');
  if (node.type) return node.type === 'array' ? 'list' : node.type === 'object' ? 'mapping' : node.type;
  if (node.then || node.else) return 'mapping or list';
  return '';
}
