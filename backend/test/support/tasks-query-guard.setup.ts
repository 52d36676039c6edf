// Jest setupFilesAfterEnv of every backend suite (jest.config.cjs, the load test included):
// installs the owner guard (./tasks-query-guard.ts) in the suite's module registry and fails
// the test during which the app sent an unscoped statement on tasks (or the suite, for one
// sent in beforeAll/afterAll).
import { installTasksQueryGuard } from './tasks-query-guard';

const guard = installTasksQueryGuard();
(globalThis as { __tasksQueryGuard?: typeof guard }).__tasksQueryGuard = guard;

async function failOnViolations(when: string) {
  const violations = await guard.takeViolations();
  if (violations.length) {
    throw new Error(
      `A query reached the tasks table without being scoped to one owner (${when}):\n  ` +
        violations.join('\n  '),
    );
  }
}

afterEach(() => failOnViolations('during this test'));
afterAll(() => failOnViolations('in beforeAll/afterAll'));
