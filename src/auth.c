/*
 * auth.c — a login and password checked against the database, the same way
 * for every front end: casetermd, the UI logging in by itself, and the lock
 * screen.  The hash comes from auth_lookup() and is checked with crypt(3);
 * an unknown login costs as much as a wrong password.
 */
#include <stdlib.h>
#include <string.h>

#include "caseterm.h"

/*
 * 1 when password is the login's (*user_id set), 0 when not (*why says
 * "unknown user" or "wrong password"), -1 when the database could not
 * answer (*cause set; caller frees).
 */
int
auth_password_check(struct db *db, const char *login, const char *password,
    long long *user_id, const char **why, char **cause)
{
	const char	*p[1] = { login }, *hash = NULL;
	PGresult	*res;
	int		 ret = 0;

	*cause = NULL;
	res = db_exec(db, "SELECT user_id, password_hash "
	    "FROM caseterm.auth_lookup($1)", 1, p, cause);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 1))
		hash = PQgetvalue(res, 0, 1);
	if (passwd_verify(password, hash)) {
		*user_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		ret = 1;
	} else
		*why = hash == NULL ? "unknown user" : "wrong password";
	PQclear(res);
	return ret;
}

/* The failure goes to the audit trail, where lockouts are counted. */
void
auth_record_failure(struct db *db, const char *login, const char *source,
    const char *reason)
{
	const char	*p[3] = { login, source, reason };
	char		*cause = NULL;

	PQclear(db_exec(db, "SELECT caseterm.auth_failure($1, $2, $3)", 3, p,
	    &cause));
	if (cause != NULL)
		log_error("auth_failure: %s", cause);
	free(cause);
}

/* Open a login session; the one-time token, or NULL.  Caller frees. */
char *
auth_open_session(struct db *db, long long user_id, const char *source,
    const char *method)
{
	char		 uid[32], *cause = NULL, *token = NULL;
	const char	*p[3] = { uid, source, method };
	PGresult	*res;

	snprintf(uid, sizeof uid, "%lld", user_id);
	res = db_exec(db, "SELECT caseterm.auth_success($1, $2, $3)", 3, p,
	    &cause);
	if (res != NULL && PQntuples(res) == 1)
		token = xstrdup(PQgetvalue(res, 0, 0));
	else
		log_error("auth_success: %s", cause != NULL ? cause : "no row");
	free(cause);
	PQclear(res);
	return token;
}
