import { loadModule, parse } from 'libpg-query';

/**
 * The owner guard of the e2e suites: every SQL statement TypeORM sends that touches the tasks
 * table is parsed with PostgreSQL's own parser (libpg-query) and must be scoped to one owner:
 *
 * - SELECT, UPDATE, DELETE: the WHERE clause has `user_id = $n` among its top-level AND terms
 *   (an OR around it, a literal instead of a parameter, or no WHERE at all does not count);
 * - INSERT: sets `user_id` from a parameter in every row, and no `ON CONFLICT DO UPDATE`;
 * - anything else that reads or writes rows of tasks (TRUNCATE, COPY, MERGE, INSERT ... SELECT)
 *   is refused outright; DDL (the migrations) is not about rows and passes.
 *
 * It looks at what reaches the database, so it catches every way of getting there
 * (`InjectRepository`, `InjectDataSource` + `query()`, the entity manager, a query builder),
 * unlike a text search of the sources. Hand-written on top of the real parser because no
 * library checks row-level scoping; kept strict so that a shape it does not understand fails.
 */

const TABLE = 'tasks';
const OWNER_COLUMN = 'user_id';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const child = (node: unknown, key: string): Json | undefined =>
  isObject(node) && isObject(node[key]) ? node[key] : undefined;
const list = (node: unknown, key: string): unknown[] =>
  isObject(node) && Array.isArray(node[key]) ? node[key] : [];
const sval = (node: unknown): string | undefined => child(node, 'String')?.sval as string;

/** The names a reference to the tasks table goes by in its statement (alias or table name). */
function tasksNamesIn(rangeVar: Json | undefined): string[] {
  if (!rangeVar || rangeVar.relname !== TABLE) return [];
  const schema = rangeVar.schemaname as string | undefined;
  if (schema && schema !== 'public') return [];
  const alias = child(rangeVar, 'alias')?.aliasname as string | undefined;
  return [alias ?? TABLE];
}

/** References to tasks among FROM items, through joins (subqueries are statements of their own). */
function tasksInFrom(items: unknown[]): string[] {
  return items.flatMap((item) => {
    const join = child(item, 'JoinExpr');
    if (join) return tasksInFrom([join.larg, join.rarg]);
    return tasksNamesIn(child(item, 'RangeVar'));
  });
}

function conjuncts(node: unknown): unknown[] {
  const bool = child(node, 'BoolExpr');
  if (bool?.boolop === 'AND_EXPR') return list(bool, 'args').flatMap(conjuncts);
  return node === undefined ? [] : [node];
}

function isParameter(node: unknown): boolean {
  if (child(node, 'ParamRef')) return true;
  const cast = child(node, 'TypeCast');
  return cast !== undefined && isParameter(cast.arg);
}

/** `<name>.user_id` (or a bare `user_id` when tasks is the only relation). */
function isOwnerColumn(node: unknown, names: string[], bareAllowed: boolean): boolean {
  const fields = list(child(node, 'ColumnRef'), 'fields').map(sval);
  if (fields.at(-1) !== OWNER_COLUMN) return false;
  if (fields.length === 1) return bareAllowed;
  return names.includes(fields.at(-2) ?? '');
}

function constrainsOwner(where: unknown, names: string[], bareAllowed: boolean): boolean {
  return conjuncts(where).some((term) => {
    const expr = child(term, 'A_Expr');
    if (!expr || expr.kind !== 'AEXPR_OP' || list(expr, 'name').map(sval).join() !== '=') {
      return false;
    }
    const [l, r] = [expr.lexpr, expr.rexpr];
    return (
      (isOwnerColumn(l, names, bareAllowed) && isParameter(r)) ||
      (isOwnerColumn(r, names, bareAllowed) && isParameter(l))
    );
  });
}

function checkInsert(insert: Json): string | undefined {
  const columns = list(insert, 'cols').map((c) => child(c, 'ResTarget')?.name);
  const owner = columns.indexOf(OWNER_COLUMN);
  if (owner < 0) return 'INSERT into tasks does not set user_id';
  const rows = list(child(insert, 'selectStmt')?.SelectStmt, 'valuesLists');
  if (!rows.length) return 'INSERT into tasks takes its rows from a query, not from parameters';
  if (!rows.every((row) => isParameter(list(child(row, 'List'), 'items')[owner]))) {
    return 'INSERT into tasks sets user_id from something other than a parameter';
  }
  if (child(insert, 'onConflictClause')?.action === 'ONCONFLICT_UPDATE') {
    return 'INSERT into tasks ... ON CONFLICT DO UPDATE can overwrite another owner’s row';
  }
  return undefined;
}

/** Statements that read or write rows but have no owner check here: refused when on tasks. */
const REFUSED = ['TruncateStmt', 'CopyStmt', 'MergeStmt', 'LockStmt'];

function checkStatement(kind: string, node: Json): string | undefined {
  switch (kind) {
    case 'SelectStmt':
    case 'UpdateStmt':
    case 'DeleteStmt': {
      const relations = [
        ...tasksNamesIn(child(node, 'relation')),
        ...tasksInFrom([...list(node, 'fromClause'), ...list(node, 'usingClause')]),
      ];
      if (!relations.length) return undefined;
      const others =
        (child(node, 'relation') ? 1 : 0) +
        list(node, 'fromClause').length +
        list(node, 'usingClause').length;
      const verb = kind.replace('Stmt', '').toUpperCase();
      // Each reference to tasks (a self-join has two) needs its own owner term.
      const bareAllowed = others === 1 && relations.length === 1;
      if (!relations.every((name) => constrainsOwner(node.whereClause, [name], bareAllowed))) {
        return `${verb} on tasks without "user_id = $n" among the top-level AND terms of its WHERE`;
      }
      return undefined;
    }
    case 'InsertStmt':
      return tasksNamesIn(child(node, 'relation')).length ? checkInsert(node) : undefined;
    default:
      if (REFUSED.includes(kind) && JSON.stringify(node).includes(`"relname":"${TABLE}"`)) {
        return `${kind.replace('Stmt', '').toUpperCase()} on tasks is not owner-scoped`;
      }
      return undefined;
  }
}

/** Every statement in the tree, nested ones (subqueries, CTEs, set operations) included. */
function* statements(node: unknown): Generator<[string, Json]> {
  if (Array.isArray(node)) {
    for (const item of node) yield* statements(item);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key.endsWith('Stmt') && isObject(value)) yield [key, value];
    yield* statements(value);
  }
}

let loaded: Promise<void> | undefined;

/**
 * Why `sql` reaches tasks rows without being scoped to one owner; empty when it is scoped or
 * does not touch tasks. A statement PostgreSQL's parser rejects counts as a problem too.
 *
 * @example
 * await unscopedTaskAccess('DELETE FROM tasks WHERE id = $1');
 * // ['DELETE on tasks without "user_id = $n" among the top-level AND terms of its WHERE']
 */
export async function unscopedTaskAccess(sql: string): Promise<string[]> {
  if (!new RegExp(`\\b${TABLE}\\b`, 'i').test(sql)) return [];
  await (loaded ??= loadModule());
  let tree: unknown;
  try {
    tree = await parse(sql);
  } catch (error) {
    return [`not parsable by PostgreSQL's parser: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  for (const [kind, node] of statements(tree)) {
    const problem = checkStatement(kind, node);
    if (problem) problems.push(problem);
  }
  return problems;
}

export interface TasksQueryGuard {
  /** Statements on tasks seen so far, by verb (proves the guard is really listening). */
  readonly seen: Record<string, number>;
  /** The problems since the last call, each with its statement; clears them. */
  takeViolations(): Promise<string[]>;
}

type QueryRunnerMethod = (this: unknown, query: string, ...rest: unknown[]) => unknown;

/**
 * Records every statement TypeORM's PostgreSQL driver sends (`query` and `stream`, which
 * every repository, entity manager, query builder and `DataSource.query()` go through) in this
 * Jest module registry, i.e. in the app under test. Checking happens later, in
 * {@link TasksQueryGuard.takeViolations}, so the requests themselves are not slowed.
 */
export function installTasksQueryGuard(): TasksQueryGuard {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PostgresQueryRunner } = require('typeorm/driver/postgres/PostgresQueryRunner') as {
    PostgresQueryRunner: { prototype: Record<'query' | 'stream', QueryRunnerMethod> };
  };
  const pending = new Set<string>();
  const verdicts = new Map<string, string[]>();
  const seen: Record<string, number> = {};
  for (const method of ['query', 'stream'] as const) {
    const original = PostgresQueryRunner.prototype[method];
    PostgresQueryRunner.prototype[method] = function (query, ...rest) {
      if (typeof query === 'string' && /\btasks\b/i.test(query)) {
        const verb = query.trimStart().split(/\s/, 1)[0].toUpperCase();
        seen[verb] = (seen[verb] ?? 0) + 1;
        if (!verdicts.has(query)) pending.add(query);
      }
      return original.call(this, query, ...rest);
    };
  }
  return {
    seen,
    async takeViolations() {
      const found: string[] = [];
      for (const sql of [...pending]) {
        pending.delete(sql);
        const problems = await unscopedTaskAccess(sql);
        verdicts.set(sql, problems);
        found.push(...problems.map((problem) => `${problem}:\n    ${sql}`));
      }
      return found;
    },
  };
}
