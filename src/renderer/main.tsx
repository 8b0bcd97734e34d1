// Renderer entry: create the platform client once, bind the stores, render the shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createPlatformClient } from './platform/client';
import { ClientContext } from './platform/context';
import { bindAppStore } from './stores/app-store';
import './styles.css';

const client = createPlatformClient();
bindAppStore(client);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
);
