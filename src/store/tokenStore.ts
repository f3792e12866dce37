/** API tokens, stored hashed. Owned by src/server auth. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the serving work
export interface TokenStore {}
