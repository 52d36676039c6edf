import fs from 'node:fs';
import path from 'node:path';

const src = path.resolve(__dirname, '../src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

describe('architecture', () => {
  it('only TaskStore reaches the tasks table, so no query can skip the owner filter', () => {
    const dataAccess =
      /InjectRepository|InjectEntityManager|getRepository|\.manager\b|createQueryBuilder|\bEntityManager\b/;
    const offenders = sources(src)
      .filter((file) => dataAccess.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(src, file));
    expect(offenders).toEqual(['tasks/task-store.ts']);
  });

  it('handlers take the owner from the verified token, never from the route', () => {
    const controller = fs.readFileSync(path.join(src, 'tasks/tasks.controller.ts'), 'utf8');
    expect(controller).not.toMatch(/params\.userId|@Param\('userId'\)/);
    expect(controller.match(/@CurrentUser\('id'\) ownerId/g)).toHaveLength(5);
  });
});
