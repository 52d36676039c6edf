import { isApiError } from '@authbridge/web-auth';

/** The words the board shows for a failed load or change: the API's message, or a general one. */
export function taskErrorMessage(error: unknown): string {
  return isApiError(error) ? error.message : 'Something went wrong. Please try again.';
}
