'use client';

import { useEffect, useState } from 'react';

/**
 * Where the keyboard focus goes after an action whose button goes away (delete, undo,
 * "Try again", the last "Load more"): the board asks for a list of element ids, best
 * first, and after the next render that has one of them, that one gets the focus.
 */

/** The ids of one task row's controls, so the board can send the focus to them. */
export function taskControlIds(taskId: string) {
  return {
    checkbox: `task-${taskId}`,
    title: `task-title-${taskId}`,
    edit: `task-edit-${taskId}`,
    remove: `task-delete-${taskId}`,
  };
}

/** Ids of the board's own focus targets. */
export const BOARD_IDS = {
  newTask: 'new-task-title',
  count: 'task-count',
  retry: 'tasks-retry',
  undo: 'task-undo',
} as const;

/**
 * @example
 * const focusFirst = useFocusAfterRender();
 * focusFirst([taskControlIds(next.id).checkbox, BOARD_IDS.newTask]);
 */
export function useFocusAfterRender(): (ids: string[]) => void {
  const [wanted, setWanted] = useState<string[] | null>(null);
  useEffect(() => {
    if (!wanted) return;
    const target = wanted.map((id) => document.getElementById(id)).find(Boolean);
    if (!target) return; // not rendered yet (the list is still loading): try after the next render
    target.focus();
    setWanted(null);
  });
  return setWanted;
}
