/*
 * db.c — the connection to PostgreSQL.
 *
 * All SQL is parameterised (PQexecParams, unnamed, so it also works behind
 * PgBouncer in transaction mode).  db_call() runs one statement in its own
 * transaction after setting the acting user with a transaction-local
 * set_config(), which the row-level security policies read; they fail closed
 * when it is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseterm.h"

struct db *
db_open(const char *conninfo, char **cause)
{
	struct db	*db;

	*cause = NULL;
	db = xcalloc(1, sizeof *db);
	db->conninfo = xstrdup(conninfo);
	db->conn = PQconnectdb(conninfo);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		*cause = db_error_message(db->conn, NULL);
		db_close(db);
		return NULL;
	}
	return db;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	PQfinish(db->conn);
	free(db->conninfo);
	free(db);
}

/*
 * The message a person should read: the server's primary message for an
 * error the schema raised, else libpq's text, first line only.
 */
char *
db_error_message(PGconn *conn, const PGresult *res)
{
	const char	*m = NULL;
	char		*s;

	if (res != NULL)
		m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (m == NULL && conn != NULL)
		m = PQerrorMessage(conn);
	if (m == NULL || *m == '\0')
		m = "database error";
	s = xstrdup(m);
	s[strcspn(s, "\n")] = '\0';
	return s;
}

/* libpq's words for a lost connection mean nothing to a clerk. */
static void
db_unreachable(char **cause, bool maybe_saved)
{
	if (*cause != NULL)
		log_warn("database: %s", *cause);
	free(*cause);
	*cause = xstrdup(maybe_saved ?
	    N_("the database connection broke while saving; check whether "
	    "it was saved before saving again") :
	    N_("cannot reach the database; nothing was saved, "
	    "try again in a moment"));
}

static bool
db_ok(const PGresult *res)
{
	ExecStatusType	st = PQresultStatus(res);

	return st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
}

/* Keep what the server said about an error, for the screens to use. */
static void
db_keep_error(struct db *db, const PGresult *res)
{
	const char	*v;

	v = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(db->err_state, sizeof db->err_state, "%s", v ? v : "");
	v = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	snprintf(db->err_detail, sizeof db->err_detail, "%s", v ? v : "");
	v = res != NULL ? PQresultErrorField(res, PG_DIAG_COLUMN_NAME) : NULL;
	snprintf(db->err_column, sizeof db->err_column, "%s", v ? v : "");
}

static PGresult *
db_run(struct db *db, const char *sql, int n, const char *const *params,
    char **cause)
{
	PGresult	*res;

	res = PQexecParams(db->conn, sql, n, NULL, params, NULL, NULL, 0);
	if (db_ok(res))
		return res;
	*cause = db_error_message(db->conn, res);
	db_keep_error(db, res);
	PQclear(res);
	return NULL;
}

/* After a failure: was it the connection?  Try once to get it back. */
static bool
db_lost(struct db *db)
{
	if (PQstatus(db->conn) == CONNECTION_OK)
		return false;
	log_warn("database connection lost; reconnecting");
	PQreset(db->conn);
	return PQstatus(db->conn) == CONNECTION_OK;
}

PGresult *
db_exec(struct db *db, const char *sql, int n, const char *const *params,
    char **cause)
{
	PGresult	*res;

	*cause = NULL;
	if ((res = db_run(db, sql, n, params, cause)) != NULL)
		return res;
	if (!db_lost(db))
		return NULL;
	free(*cause);
	*cause = NULL;
	return db_run(db, sql, n, params, cause);
}

static PGresult *
db_call_once(struct db *db, const char *sql, int n,
    const char *const *params, char **cause, bool *sent_commit)
{
	PGresult	*res, *r;
	char		 uid[32], sid[32];
	const char	*p[2] = { uid, sid };

	*sent_commit = false;
	if ((r = db_run(db, "BEGIN", 0, NULL, cause)) == NULL)
		return NULL;
	PQclear(r);
	/* Who acts, and in which login session (audit rows name it). */
	if (db->user_id != 0)
		snprintf(uid, sizeof uid, "%lld", db->user_id);
	else
		uid[0] = '\0';
	if (db->session_id != 0)
		snprintf(sid, sizeof sid, "%lld", db->session_id);
	else
		sid[0] = '\0';
	r = db_run(db, "SELECT set_config('caseterm.user_id', $1, true), "
	    "set_config('caseterm.session_id', $2, true)", 2, p, cause);
	if (r == NULL)
		goto fail;
	PQclear(r);
	if ((res = db_run(db, sql, n, params, cause)) == NULL)
		goto fail;
	*sent_commit = true;
	if ((r = db_run(db, "COMMIT", 0, NULL, cause)) == NULL) {
		PQclear(res);
		return NULL;
	}
	PQclear(r);
	return res;
fail:
	if (PQstatus(db->conn) == CONNECTION_OK)
		PQclear(PQexec(db->conn, "ROLLBACK"));
	return NULL;
}

PGresult *
db_call(struct db *db, const char *sql, int n, const char *const *params,
    char **cause)
{
	PGresult	*res;
	bool		 sent_commit;

	*cause = NULL;
	res = db_call_once(db, sql, n, params, cause, &sent_commit);
	if (res != NULL)
		return res;
	if (sent_commit) {
		/* The commit may or may not have happened: do not redo. */
		if (PQstatus(db->conn) != CONNECTION_OK)
			db_unreachable(cause, true);
		return NULL;
	}
	if (!db_lost(db)) {
		if (PQstatus(db->conn) != CONNECTION_OK)
			db_unreachable(cause, false);
		return NULL;
	}
	/* Nothing was committed before the connection went: safe to redo. */
	free(*cause);
	*cause = NULL;
	res = db_call_once(db, sql, n, params, cause, &sent_commit);
	if (res == NULL && PQstatus(db->conn) != CONNECTION_OK)
		db_unreachable(cause, false);
	return res;
}
