/** A template that cannot be read, compiled or run: the user's to fix (exit 2). */
export class TemplateError extends Error {}
