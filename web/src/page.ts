import { isTyping } from './dom.js';

// `/` anywhere opens the search, as on GitHub and Sourcegraph.
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
  event.preventDefault();
  location.assign('/');
});
