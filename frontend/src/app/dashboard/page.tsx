// /dashboard: the signed-in user's tasks. The session is checked here (the proxy only
// looked for a cookie). The first page of tasks is fetched here too, so the list reads
// without JavaScript; the board (a client component) takes it from there.
import type { Metadata } from 'next';
import { QueryProvider } from '@/components/query-provider';
import { TaskBoard } from '@/components/tasks/task-board';
import { serverEnv } from '@/lib/env';
import { firstTaskPage } from '@/lib/server-tasks';
import { requireSession } from '@/lib/session';

export const metadata: Metadata = { title: 'Your tasks · authbridge' };

export default async function DashboardPage() {
  // The real check: proxy.ts only looked for a cookie.
  const { user, session } = await requireSession('/dashboard');
  const firstPage = await firstTaskPage(user, session);
  return (
    <section className="card" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Your tasks</h1>
      <p className="muted">Signed in as {user.email}</p>
      <noscript>
        <p className="notice" id="no-script-notice">
          Your tasks are shown as they were when this page loaded. Adding, ticking, renaming and
          deleting tasks need JavaScript: turn it on in your browser and reload the page.
        </p>
      </noscript>
      {/* The API origin comes from the server at request time, not from the build. */}
      <QueryProvider>
        <TaskBoard apiUrl={serverEnv().apiUrl} userId={user.id} firstPage={firstPage} />
      </QueryProvider>
    </section>
  );
}
