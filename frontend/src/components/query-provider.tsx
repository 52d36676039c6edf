'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { createQueryClient } from '@/lib/task-queries/query-client';

/**
 * TanStack Query's cache for the client components inside. One client per mount, made on
 * the first render and kept: the dashboard mounts it, so its cache lives as long as the
 * page does and goes with it (sign-out leaves the page).
 */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(createQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
