// The preload: exposes the allow-listed bridge (./bridge.ts) as window.spreaddesk and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('spreaddesk', createBridge(ipcRenderer));
