/** JSON bodies above this are shown as plain text rows: no colours, no folding (find still works). */
export const JSON_TREE_MAX_BYTES = 64 * 1024 * 1024;
/** Layout work done before the first paint; the rest continues in slices after it. */
export const FIRST_SCREEN_MS = 30;
/** Rows to have before the first paint when the body is big. */
export const FIRST_SCREEN_ROWS = 200;
/** Above this, "Copy" asks the extension to copy its own copy of the body instead of sending text back. */
export const COPY_TEXT_MAX_CHARS = 8 * 1024 * 1024;
