/**
 * What a new password must be: at least 10 characters, not one of the passwords tried first by
 * every guessing tool, not the user name. The server checks it (admin API, CLI, accounts file) and
 * the admin page checks it before sending, with the same codes.
 */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * Passwords of 10 characters or more that lead the public leaked-password lists (SecLists'
 * 10k-most-common, the NCSC 100k list), plus the ones a water-utility installer reaches for.
 * Compared lowercased; shorter ones already fail the length rule.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '1234567890',
  '0987654321',
  '12345678910',
  '123456789a',
  'a123456789',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'qwertyuiop',
  'qwerty1234',
  'qwerty12345',
  'qwertyuiop123',
  'asdfghjkl1',
  'zxcvbnm123',
  'password12',
  'password123',
  'password1234',
  'passw0rd123',
  'p@ssw0rd123',
  'iloveyou12',
  'administrator',
  'admin12345',
  'admin123456',
  'adminadmin',
  'changeme123',
  'letmein123',
  'welcome123',
  'welcome1234',
  'football123',
  'baseball123',
  'sunshine123',
  'princess123',
  'dragon1234',
  'monkey1234',
  'superman123',
  'abcdefghij',
  'abc1234567',
  'aaaaaaaaaa',
  '1111111111',
  '0000000000',
  '5201314520',
  'woaini1314',
  'woaini520520',
  'aftercare1',
  'aftercare123',
  'operator123',
  'engineer123',
  'service123',
  'customer123',
]);

export type PasswordProblem = 'error.passwordTooShort' | 'error.passwordCommon' | 'error.passwordIsUsername';

/** Why `password` may not be used by `username`, as a core/i18n message code; undefined when it may. */
export function passwordProblem(password: string, username: string): PasswordProblem | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'error.passwordTooShort';
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'error.passwordCommon';
  if (lower.includes(username.toLowerCase())) return 'error.passwordIsUsername';
  return undefined;
}
