import root from '../eslint.config.mjs';

export default [
  ...root,
  {
    // The owner guard of the e2e suites (test/support/tasks-query-guard.ts) watches what
    // TypeORM sends; a raw pg client in the app would go around it.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'pg',
              message:
                'Reach the database through TypeORM (TaskStore for tasks), not a raw pg client.',
            },
          ],
        },
      ],
    },
  },
];
