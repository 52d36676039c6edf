/** Password length rules, shared by Better Auth's config, the forms and their messages. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
