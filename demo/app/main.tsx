import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../src/react/styles.css';
import './styles.css';
import { App } from './App.js';

const root = document.getElementById('root');
if (root === null) throw new Error('demo/index.html lost its #root element.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
