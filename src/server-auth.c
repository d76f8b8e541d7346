/*
 * server-auth.c — authentication of a clerk against PostgreSQL.
 *
 * The password hash comes from auth_lookup() and is checked here with
 * crypt(3); an unknown login costs as much as a wrong password.  Success
 * opens a login session in the database and yields a one-time token that
 * the UI process claims (server-channel.c hands it over on a descriptor).
 * Each failure is one log line of a fixed shape for fail2ban:
 *   authentication failure for USER from ADDR
 */
#include <stdlib.h>
#include <string.h>

#include "server.h"

static bool
auth_db(struct session *s)
{
	char	*cause;

	if (s->db != NULL)
		return true;
	if ((s->db = db_open(s->cfg->db_conninfo, &cause)) == NULL) {
		log_error("database: %s", cause);
		free(cause);
		return false;
	}
	return true;
}

static int
auth_password(ssh_session ssh, const char *user, const char *password,
    void *arg)
{
	struct session	*s = arg;
	PGresult	*res = NULL, *tok = NULL;
	const char	*params[3], *hash = NULL;
	char		*cause = NULL, safe[96];
	bool		 ok;
	int		 ret = SSH_AUTH_DENIED;

	log_safe(user, safe, sizeof safe);
	if (++s->auth_tries > s->cfg->max_auth_tries)
		return SSH_AUTH_DENIED;
	if (!auth_db(s))
		return SSH_AUTH_DENIED;

	params[0] = user;
	res = db_exec(s->db, "SELECT user_id, password_hash "
	    "FROM caseterm.auth_lookup($1)", 1, params, &cause);
	if (res == NULL) {
		log_error("auth_lookup: %s", cause);
		goto out;
	}
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 1))
		hash = PQgetvalue(res, 0, 1);
	ok = passwd_verify(password, hash);
	if (!ok) {
		params[1] = s->source;
		params[2] = hash == NULL ? "unknown user" : "wrong password";
		PQclear(db_exec(s->db, "SELECT caseterm.auth_failure($1, $2, $3)",
		    3, params, &cause));
		free(cause);
		cause = NULL;
		log_info("authentication failure for %s from %s", safe,
		    s->source);
		goto out;
	}
	params[0] = PQgetvalue(res, 0, 0);
	params[1] = s->source;
	params[2] = "password";
	tok = db_exec(s->db, "SELECT caseterm.auth_success($1, $2, $3)", 3,
	    params, &cause);
	if (tok == NULL || PQntuples(tok) != 1) {
		log_error("auth_success: %s", cause != NULL ? cause : "no row");
		goto out;
	}
	s->token = xstrdup(PQgetvalue(tok, 0, 0));
	s->login = xstrdup(user);
	s->authenticated = true;
	log_set_prefix("session %lu %s %s", s->id, safe, s->source);
	log_info("accepted password for %s from %s", safe, s->source);
	ret = SSH_AUTH_SUCCESS;
out:
	free(cause);
	PQclear(res);
	PQclear(tok);
	return ret;
}

void
auth_setup(struct session *s)
{
	memset(&s->server_cb, 0, sizeof s->server_cb);
	s->server_cb.userdata = s;
	s->server_cb.auth_password_function = auth_password;
	s->server_cb.channel_open_request_session_function = server_channel_open;
	ssh_callbacks_init(&s->server_cb);
	ssh_set_server_callbacks(s->ssh, &s->server_cb);
	ssh_set_auth_methods(s->ssh, SSH_AUTH_METHOD_PASSWORD);
}

/*
 * The login session ends with the connection, however the UI ended (it
 * ends it itself on a clean exit; this covers a crash or a kill).
 */
void
auth_end(struct session *s)
{
	const char	*p[1];
	char		*cause = NULL;

	if (s->token != NULL && s->ui_started && s->db != NULL) {
		p[0] = s->token;
		PQclear(db_exec(s->db, "SELECT caseterm.session_end_by_token($1)",
		    1, p, &cause));
		if (cause != NULL)
			log_warn("session_end_by_token: %s", cause);
		free(cause);
	}
	if (s->token != NULL) {
		passwd_burn(s->token, strlen(s->token));
		free(s->token);
		s->token = NULL;
	}
	free(s->login);
	s->login = NULL;
	db_close(s->db);
	s->db = NULL;
}
