import type * as TS from 'typescript';

/**
 * Edits of TypeScript sources through the compiler's own parser (the app's `typescript`), so
 * the generator finds `@Module({...})`, `@Controller('health')` and imports wherever they are
 * written, and inserts text without reformatting the user's code. Each edit is an insertion at
 * an offset of the original text, applied from the end.
 */
interface Insertion {
  at: number;
  text: string;
}

function apply(source: string, insertions: Insertion[]): string {
  // From the end, so earlier offsets stay valid; at one offset, the first listed ends up first.
  return insertions
    .map((insertion, order) => ({ ...insertion, order }))
    .sort((a, b) => b.at - a.at || b.order - a.order)
    .reduce((text, { at, text: added }) => text.slice(0, at) + added + text.slice(at), source);
}

function parse(ts: typeof TS, fileName: string, source: string): TS.SourceFile {
  return ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function decoratorsOf(ts: typeof TS, node: TS.Node): readonly TS.Decorator[] {
  return ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
}

function decoratorName(ts: typeof TS, decorator: TS.Decorator): string | undefined {
  const call = decorator.expression;
  if (!ts.isCallExpression(call)) return undefined;
  return ts.isIdentifier(call.expression) ? call.expression.text : undefined;
}

function findDecorator(ts: typeof TS, node: TS.Node, name: string): TS.Decorator | undefined {
  return decoratorsOf(ts, node).find((d) => decoratorName(ts, d) === name);
}

/** The path given to `@Controller(...)`/`@Get(...)`: a string, `{ path }`, or '' for none. */
function routePath(ts: typeof TS, decorator: TS.Decorator): string | undefined {
  const [arg] = (decorator.expression as TS.CallExpression).arguments;
  if (!arg) return '';
  if (ts.isStringLiteralLike(arg)) return arg.text;
  if (ts.isObjectLiteralExpression(arg)) {
    const prop = arg.properties.find(
      (p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'path',
    );
    if (prop && ts.isStringLiteralLike(prop.initializer)) return prop.initializer.text;
    return prop ? undefined : '';
  }
  return undefined; // a variable or an array: not something to guess about
}

const joinRoute = (...parts: string[]) =>
  '/' +
  parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');

function lineIndent(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))![0];
}

/** Inserts `import { name } from 'module'`, or adds `name` to an existing import of it. */
function importInsertion(
  ts: typeof TS,
  file: TS.SourceFile,
  name: string,
  moduleName: string,
): Insertion | null {
  const imports = file.statements.filter(ts.isImportDeclaration);
  for (const decl of imports) {
    const spec = decl.moduleSpecifier;
    if (!ts.isStringLiteral(spec) || spec.text !== moduleName) continue;
    const bindings = decl.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings) || decl.importClause?.isTypeOnly) continue;
    if (bindings.elements.some((e) => e.name.text === name)) return null;
    const last = bindings.elements[bindings.elements.length - 1];
    if (!last) return { at: bindings.getStart() + 1, text: ` ${name} ` };
    return { at: last.getEnd(), text: `, ${name}` };
  }
  const quote = imports[0]?.moduleSpecifier.getText().startsWith('"') ? '"' : "'";
  const line = `import { ${name} } from ${quote}${moduleName}${quote};`;
  const lastImport = imports[imports.length - 1];
  return lastImport ? { at: lastImport.getEnd(), text: `\n${line}` } : { at: 0, text: `${line}\n` };
}

/** True when the file's relative imports end in `.js` (ESM / nodenext style). */
export function usesJsExtensions(ts: typeof TS, fileName: string, source: string): boolean {
  return parse(ts, fileName, source)
    .statements.filter(ts.isImportDeclaration)
    .some((d) => /^\.{1,2}\/.*\.js$/.test((d.moduleSpecifier as TS.StringLiteral).text));
}

export type ModuleEdit =
  | { status: 'changed'; text: string }
  | { status: 'unchanged' }
  | { status: 'refused'; reason: string };

/**
 * Adds `element` to the `property` array (`imports`, `controllers`) of the `@Module({...})` of
 * `className` (or of the only `@Module` class), with the imports it needs. `marker` tells that
 * the element is already there (idempotence).
 */
export function addToModuleArray(
  ts: typeof TS,
  fileName: string,
  source: string,
  options: {
    className: string;
    property: 'imports' | 'controllers';
    element: string;
    marker: RegExp;
    imports: { name: string; from: string }[];
  },
): ModuleEdit {
  const file = parse(ts, fileName, source);
  const classes = file.statements.filter(
    (s): s is TS.ClassDeclaration => ts.isClassDeclaration(s) && !!findDecorator(ts, s, 'Module'),
  );
  const target =
    classes.find((c) => c.name?.text === options.className) ??
    (classes.length === 1 ? classes[0] : undefined);
  if (!target) {
    return { status: 'refused', reason: `no @Module() class ${options.className} found` };
  }
  const [arg] = (findDecorator(ts, target, 'Module')!.expression as TS.CallExpression).arguments;
  if (arg && !ts.isObjectLiteralExpression(arg)) {
    return { status: 'refused', reason: '@Module() is not given an object literal' };
  }
  const property = arg?.properties.find((p) => p.name?.getText() === options.property) as
    TS.ObjectLiteralElementLike | undefined;
  if (property) {
    if (!ts.isPropertyAssignment(property) || !ts.isArrayLiteralExpression(property.initializer)) {
      return {
        status: 'refused',
        reason: `@Module({ ${options.property} }) is not an array literal`,
      };
    }
    if (property.initializer.elements.some((e) => options.marker.test(e.getText()))) {
      return { status: 'unchanged' };
    }
  }

  const insertions: Insertion[] = [];
  if (!arg) {
    const call = findDecorator(ts, target, 'Module')!.expression as TS.CallExpression;
    insertions.push({
      at: call.arguments.pos,
      text: `{\n  ${options.property}: [${options.element}],\n}`,
    });
  } else if (!property) {
    const first = arg.properties[0];
    const indent = first ? lineIndent(source, first.getStart()) : '  ';
    insertions.push(
      first
        ? { at: first.getStart(), text: `${options.property}: [${options.element}],\n${indent}` }
        : { at: arg.getStart() + 1, text: `\n  ${options.property}: [${options.element}],\n` },
    );
  } else {
    const array = (property as TS.PropertyAssignment).initializer as TS.ArrayLiteralExpression;
    const elements = array.elements;
    const last = elements[elements.length - 1];
    if (!last) {
      insertions.push({ at: array.getStart() + 1, text: options.element });
    } else {
      const multiline = source.slice(array.getStart(), array.getEnd()).includes('\n');
      const indent = lineIndent(source, last.getStart());
      const separator = multiline ? `\n${indent}` : ' ';
      const comma = elements.hasTrailingComma ? '' : ',';
      const trailing = elements.hasTrailingComma ? ',' : '';
      insertions.push({
        at: elements.hasTrailingComma ? elements.end : last.getEnd(),
        text: `${comma}${separator}${options.element}${trailing}`,
      });
    }
  }
  for (const { name, from } of options.imports) {
    const insertion = importInsertion(ts, file, name, from);
    if (insertion) insertions.push(insertion);
  }
  return { status: 'changed', text: apply(source, insertions) };
}

/** A GET route found in a controller: where it is, and whether it is already public. */
export interface FoundRoute {
  path: string;
  isPublic: boolean;
}

/** GET routes of the controllers in one file, with their full path (controller + method). */
export function findGetRoutes(ts: typeof TS, fileName: string, source: string): FoundRoute[] {
  const routes: FoundRoute[] = [];
  for (const statement of parse(ts, fileName, source).statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    const controller = findDecorator(ts, statement, 'Controller');
    const base = controller && routePath(ts, controller);
    if (base === undefined) continue;
    const classPublic = !!findDecorator(ts, statement, 'Public');
    for (const member of statement.members) {
      const get = findDecorator(ts, member, 'Get');
      const sub = get && routePath(ts, get);
      if (sub === undefined) continue;
      routes.push({
        path: joinRoute(base, sub),
        isPublic: classPublic || !!findDecorator(ts, member, 'Public'),
      });
    }
  }
  return routes;
}

/**
 * Marks the GET routes whose path ends in `/health` `@Public()` (the method, or the class of a
 * `@Controller('health')`), importing `Public`. `null` when the file has no such route.
 */
export function markHealthPublic(
  ts: typeof TS,
  fileName: string,
  source: string,
): { text: string; paths: string[] } | null {
  const file = parse(ts, fileName, source);
  const insertions: Insertion[] = [];
  const paths: string[] = [];
  for (const statement of file.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    const controller = findDecorator(ts, statement, 'Controller');
    const base = controller && routePath(ts, controller);
    if (base === undefined) continue;
    const classPublic = !!findDecorator(ts, statement, 'Public');
    const healthClass = /(^|\/)health\/?$/.test(base);
    for (const member of statement.members) {
      const get = findDecorator(ts, member, 'Get');
      const sub = get && routePath(ts, get);
      if (sub === undefined) continue;
      const full = joinRoute(base, sub);
      if (!/\/health$/.test(full)) continue;
      paths.push(full);
      if (classPublic || findDecorator(ts, member, 'Public')) continue;
      if (healthClass && sub === '') {
        const at = controller!.getStart();
        if (!insertions.some((i) => i.at === at)) {
          insertions.push({ at, text: `@Public()\n${lineIndent(source, at)}` });
        }
      } else {
        const at = get!.getStart();
        insertions.push({ at, text: `@Public()\n${lineIndent(source, at)}` });
      }
    }
  }
  if (paths.length === 0) return null;
  if (insertions.length > 0) {
    const insertion = importInsertion(ts, file, 'Public', '@authbridge/nest-auth');
    if (insertion) insertions.push(insertion);
  }
  return { text: apply(source, insertions), paths };
}
