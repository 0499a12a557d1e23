/**
 * Who may use the support desk: agents' passwords (bcrypt), sign-in with a lock-out after repeated
 * wrong passwords, session and API tokens, and the per-client rate limit of ticket submission.
 */
package dev.braid.apps.support.access;
