/**
 * Bump when any parser's output changes (see registry.ts), so cached parses are not reused. Kept apart
 * from the registry so that checking the cache does not load every parser.
 */
export const PARSER_VERSION = 5;
