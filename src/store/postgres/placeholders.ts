/** SQL written with SQLite's `?` placeholders, numbered for PostgreSQL (`$1`, `$2`, …); the SQL must hold no other `?`. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
