import fs from 'node:fs';
import path from 'node:path';

/**
 * The part of Nx's `Tree` (`@nx/devkit`) the setup generator uses. Under `nx g` it is Nx's own
 * tree; without Nx it is a {@link FileTree}. Structural, so the shipped code needs neither `nx`
 * nor `@nx/devkit` at run time.
 */
export interface GeneratorTree {
  /** Absolute path of the workspace (or app) root. */
  readonly root: string;
  read(filePath: string, encoding: 'utf-8'): string | null;
  write(filePath: string, content: string): void;
  exists(filePath: string): boolean;
  isFile(filePath: string): boolean;
  children(dirPath: string): string[];
}

/** One change a {@link FileTree} holds until {@link FileTree.flush}. */
export interface FileTreeChange {
  path: string;
  type: 'CREATE' | 'UPDATE';
}

/**
 * A {@link GeneratorTree} over the real file system that keeps every write in memory until
 * `flush()`, like Nx's FsTree, for running the generator in an app that is not an Nx workspace
 * (`npx @authbridge/nest-auth setup`). Written by hand because Nx's FsTree lives in the `nx`
 * package (a large install with a native binary) that a plain Nest app does not have.
 */
export class FileTree implements GeneratorTree {
  private readonly pending = new Map<string, string>();

  constructor(readonly root: string) {}

  private abs(filePath: string): string {
    return path.join(this.root, filePath);
  }

  read(filePath: string, _encoding: 'utf-8'): string | null {
    const key = path.normalize(filePath);
    if (this.pending.has(key)) return this.pending.get(key)!;
    try {
      return fs.readFileSync(this.abs(key), 'utf8');
    } catch {
      return null;
    }
  }

  write(filePath: string, content: string): void {
    this.pending.set(path.normalize(filePath), content);
  }

  exists(filePath: string): boolean {
    return this.pending.has(path.normalize(filePath)) || fs.existsSync(this.abs(filePath));
  }

  isFile(filePath: string): boolean {
    if (this.pending.has(path.normalize(filePath))) return true;
    try {
      return fs.statSync(this.abs(filePath)).isFile();
    } catch {
      return false;
    }
  }

  children(dirPath: string): string[] {
    const names = new Set<string>();
    try {
      for (const name of fs.readdirSync(this.abs(dirPath))) names.add(name);
    } catch {
      // a folder that only exists in pending writes
    }
    const prefix = path.normalize(dirPath) === '.' ? '' : `${path.normalize(dirPath)}${path.sep}`;
    for (const file of this.pending.keys()) {
      if (file.startsWith(prefix)) names.add(file.slice(prefix.length).split(path.sep)[0]);
    }
    return [...names];
  }

  /** What `flush()` would write: files that do not exist yet, or whose text changes. */
  listChanges(): FileTreeChange[] {
    const changes: FileTreeChange[] = [];
    for (const [file, content] of this.pending) {
      let before: string | null;
      try {
        before = fs.readFileSync(this.abs(file), 'utf8');
      } catch {
        before = null;
      }
      if (before === content) continue;
      changes.push({ path: file, type: before === null ? 'CREATE' : 'UPDATE' });
    }
    return changes;
  }

  /** Writes the pending changes to disk. */
  flush(): FileTreeChange[] {
    const changes = this.listChanges();
    for (const change of changes) {
      fs.mkdirSync(path.dirname(this.abs(change.path)), { recursive: true });
      fs.writeFileSync(this.abs(change.path), this.pending.get(change.path)!);
    }
    this.pending.clear();
    return changes;
  }
}
