/**
 * File name (without .crt/.key) of the CA that `certs ca` writes and `--ca-dir` reads. A module
 * of its own: the command's option help names it, and its action (loaded later) uses it.
 */
export const CA_FILE_NAME = 'ca';
