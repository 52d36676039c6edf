// /dashboard: the signed-in user's tasks. The session is checked here (the proxy only
// looked for a cookie); the board is a client component that talks to the Tasks API.
import type { Metadata } from 'next';
import { QueryProvider } from '@/components/query-provider';
import { TaskBoard } from '@/components/tasks/task-board';
import { serverEnv } from '@/lib/env';
import { requireSession } from '@/lib/session';

export const metadata: Metadata = { title: 'Your tasks · authbridge' };

export default async function DashboardPage() {
  // The real check: proxy.ts only looked for a cookie.
  const { user } = await requireSession('/dashboard');
  return (
    <section className="card" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Your tasks</h1>
      <p className="muted">Signed in as {user.email}</p>
      {/* The API origin comes from the server at request time, not from the build. */}
      <QueryProvider>
        <TaskBoard apiUrl={serverEnv().apiUrl} userId={user.id} />
      </QueryProvider>
    </section>
  );
}
