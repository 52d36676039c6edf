import type { AxiosInstance } from 'axios';
import { schemaLimits, type components } from './api-types';

// The types come from the API's contract (backend/openapi.json, generated into api-types.ts
// by scripts/api-types.mjs), never copied by hand: a DTO change fails the build until the
// contract and this app agree again.

/** A task as the Tasks API returns it. */
export type Task = components['schemas']['TaskResponse'];

/** One page of the task list: follow `nextCursor` until it is null. */
export type TaskPage = components['schemas']['TaskPageResponse'];

/** Longest title the API accepts (its `maxLength`), for the form's own check. */
export const TASK_TITLE_MAX = schemaLimits.CreateTaskDto.title.maxLength;

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
    /** `keepalive`: the page is being left; fetch's keepalive lets the request outlive it. */
    remove: async (id: string, { keepalive = false }: { keepalive?: boolean } = {}) => {
      await api.delete(
        `${base}/${encodeURIComponent(id)}`,
        keepalive ? { adapter: 'fetch', fetchOptions: { keepalive: true } } : undefined,
      );
    },
  };
}
