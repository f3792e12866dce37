/** A model answer trying every way to get markup or script into the chat page; it must stay text. */
export const HOSTILE_ANSWER = [
  'Look <script>window.__pwned = "script"</script> here.',
  '',
  '<img src=x onerror="window.__pwned = \'onerror\'">',
  '',
  '[click me](javascript:window.__pwned="link") and [data](data:text/html,<b>x</b>)',
  '',
  '![tracker](https://evil.example/pixel.png) <iframe src="https://evil.example/"></iframe>',
].join('\n');
