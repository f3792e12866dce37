// Read by prism-core when it loads: no automatic highlighting of the page, no worker message handler.
(globalThis as { Prism?: unknown }).Prism = { manual: true, disableWorkerMessageHandler: true };
