/**
 * Checks a document against the Elastic Common Schema's own field definitions (@elastic/ecs):
 * every field outside `custom` is one ECS defines, of its type, with an allowed value where
 * ECS lists them, and an array where ECS expects one.
 */
import { isIP } from 'node:net';
import { EcsFlat } from '@elastic/ecs';

interface FieldDefinition {
  readonly type: string;
  readonly normalize?: readonly string[];
  readonly allowed_values?: readonly { name: string }[];
}

const definitions = EcsFlat as unknown as Record<string, FieldDefinition>;

const TYPE_CHECKS: Record<string, (value: unknown) => boolean> = {
  keyword: (v) => typeof v === 'string',
  constant_keyword: (v) => typeof v === 'string',
  wildcard: (v) => typeof v === 'string',
  match_only_text: (v) => typeof v === 'string',
  long: (v) => Number.isInteger(v),
  float: (v) => typeof v === 'number' && Number.isFinite(v),
  scaled_float: (v) => typeof v === 'number' && Number.isFinite(v),
  ip: (v) => typeof v === 'string' && isIP(v) !== 0,
  date: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
  boolean: (v) => typeof v === 'boolean',
};

/** Whether ECS itself defines any field under `namespace` (a custom one must not clash). */
export function ecsDefinesNamespace(namespace: string): boolean {
  return Object.keys(definitions).some((name) => name.split('.')[0] === namespace);
}

/** What is wrong with `document` as ECS sees it (empty when nothing); `custom` is skipped. */
export function ecsProblems(document: Record<string, unknown>, custom: string): string[] {
  const problems: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (path === custom) return;
    const definition = definitions[path];
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (isObject && (definition === undefined || definition.type === 'object')) {
      for (const [key, inner] of Object.entries(value as object))
        visit(inner, path ? `${path}.${key}` : key);
      return;
    }
    if (definition === undefined) {
      problems.push(`${path}: not an ECS field`);
      return;
    }
    if (definition.normalize?.includes('array') && !Array.isArray(value))
      problems.push(`${path}: ECS expects an array`);
    const check = TYPE_CHECKS[definition.type];
    const allowed = definition.allowed_values?.map((a) => a.name);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (check === undefined)
        problems.push(`${path}: type ${definition.type} is not checked here`);
      else if (!check(item))
        problems.push(`${path}: ${JSON.stringify(item)} is not a ${definition.type}`);
      if (allowed && !allowed.includes(item as string))
        problems.push(`${path}: ${JSON.stringify(item)} is not one of ${allowed.join(', ')}`);
    }
  };
  visit(document, '');
  return problems;
}
