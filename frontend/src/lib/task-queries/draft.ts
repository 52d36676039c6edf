/**
 * The "New task" field's text, kept in the tab's sessionStorage per user, so it survives a
 * trip to the sign-in page when the session ends while the user types. Only the text the
 * user typed is stored there: never a token or anything from the API. Sign-out clears it.
 */

const PREFIX = 'authbridge.task-draft.';

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    return undefined; // storage blocked: the draft simply is not kept
  }
}

export function readTaskDraft(userId: string): string {
  return storage()?.getItem(PREFIX + userId) ?? '';
}

export function saveTaskDraft(userId: string, text: string): void {
  const store = storage();
  if (!store) return;
  try {
    if (text) store.setItem(PREFIX + userId, text);
    else store.removeItem(PREFIX + userId);
  } catch {
    // Quota or privacy mode: nothing lost but the convenience.
  }
}

/** Every user's draft out of this tab (sign-out). */
export function clearTaskDrafts(): void {
  const store = storage();
  if (!store) return;
  for (const key of Object.keys(store)) if (key.startsWith(PREFIX)) store.removeItem(key);
}
