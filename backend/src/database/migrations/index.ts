import { CreateTasks1763800000000 } from './1763800000000-create-tasks';

/** Listed explicitly (no glob) so the same list works from src/ under Jest and from dist/. */
export const migrations = [CreateTasks1763800000000];
