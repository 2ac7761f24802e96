import './zod-without-eval';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Tooltip } from 'radix-ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import './styles/theme.css';
import './styles/controls.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // The core is in-process and local: a failure is an answer, not a flaky network worth retrying.
    queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
    // Settled mutations go at once: their variables may be passphrases (see use-secret-mutation.ts).
    mutations: { retry: false, gcTime: 0 },
  },
});

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Tooltip.Provider delayDuration={400}>
        <App />
      </Tooltip.Provider>
    </QueryClientProvider>
  </StrictMode>,
);
