/** What a terminal shows of raw output: carriage returns and line clears applied, one entry per screen row. */
export function screenRows(raw: string): string[] {
  const rows: string[] = [''];
  for (const part of raw.split(/(\r\x1b\[K|\n)/)) {
    if (part === '\r\x1b[K') rows[rows.length - 1] = '';
    else if (part === '\n') rows.push('');
    else rows[rows.length - 1] += part;
  }
  return rows;
}
