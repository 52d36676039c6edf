import type { AxiosInstance } from 'axios';

/** A task as the Tasks API returns it. */
export interface Task {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}

export const TASK_TITLE_MAX = 200;

/** The Tasks API's routes for one user (`userId` = the JWT's `sub`). */
export function tasksApi(api: AxiosInstance, userId: string) {
  const base = `/api/users/${encodeURIComponent(userId)}/tasks`;
  return {
    list: async (cursor?: string | null, limit = 50) =>
      (await api.get<TaskPage>(base, { params: { limit, ...(cursor ? { cursor } : {}) } })).data,
    create: async (title: string) => (await api.post<Task>(base, { title })).data,
    update: async (
      id: string,
      changes: Partial<Pick<Task, 'title' | 'description' | 'completed'>>,
    ) => (await api.patch<Task>(`${base}/${encodeURIComponent(id)}`, changes)).data,
    remove: async (id: string) => {
      await api.delete(`${base}/${encodeURIComponent(id)}`);
    },
  };
}
