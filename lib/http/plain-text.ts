/**
 * What people type: no control characters (NUL among them, which PostgreSQL text cannot hold). A single-line
 * field refuses them all; a multi-line one keeps tabs and line breaks.
 */
export const SINGLE_LINE = /^[^\u0000-\u001f\u007f]*$/;
export const MULTI_LINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
export const CONTROL_CHARACTER_MESSAGE = "Must not contain control characters";
