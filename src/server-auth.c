/*
 * server-auth.c — authentication of a clerk against PostgreSQL.
 *
 * Three methods, each allowed by auth.methods: password, keyboard-
 * interactive (one password prompt, as PuTTY uses it) and public key (the
 * user's keys are in the database; a key is checked when the client asks
 * whether it would be acceptable and again after its signature).  Before
 * any check, a login or address with too many recent failures, counted in
 * the database across all session processes, is refused.
 *
 * A password hash comes from auth_lookup() and is checked here with
 * crypt(3); an unknown login costs as much as a wrong password.  Success
 * opens a login session in the database with a one-time token that the UI
 * claims (server-channel.c hands it over on a descriptor).  Each failure is
 * one log line of a fixed shape, for fail2ban:
 *   authentication failure for USER from ADDR
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void
auth_reject(struct session *s, const char *user, const char *reason)
{
	char	 safe[96];

	auth_record_failure(s->db, user, s->source, reason);
	log_info("authentication failure for %s from %s: %s",
	    log_safe(user, safe, sizeof safe), s->source, reason);
}

/* Before any check: the database is there, the try count and the
 * lockout allow another attempt. */
static bool
auth_allowed(struct session *s, const char *user)
{
	PGresult	*res;
	char		 n[4][16], *cause = NULL;
	const char	*p[6] = { user, s->source, n[0], n[1], n[2], n[3] };
	bool		 ok = true;

	if (++s->auth_tries > s->cfg->max_auth_tries || !auth_db(s))
		return false;
	snprintf(n[0], sizeof n[0], "%d", s->cfg->max_failures);
	snprintf(n[1], sizeof n[1], "%d", s->cfg->max_failures_per_source);
	snprintf(n[2], sizeof n[2], "%d", s->cfg->failure_window);
	snprintf(n[3], sizeof n[3], "%d", s->cfg->lockout_time);
	res = db_exec(s->db, "SELECT caseterm.auth_throttled($1, $2, "
	    "$3::int, $4::int, $5::int, $6::int)", 6, p, &cause);
	if (res == NULL) {
		log_error("auth_throttled: %s", cause);
		free(cause);
		return false;
	}
	if (!PQgetisnull(res, 0, 0)) {
		auth_reject(s, user, PQgetvalue(res, 0, 0)[0] == 'a' &&
		    PQgetvalue(res, 0, 0)[1] == 'c' ? "account locked out" :
		    "address locked out");
		ok = false;
	}
	PQclear(res);
	return ok;
}

/* The clerk is who they say: open the login session. */
static int
auth_accept(struct session *s, const char *user, long long user_id,
    const char *method)
{
	char	 safe[96];

	if ((s->token = auth_open_session(s->db, user_id, s->source,
	    method)) == NULL)
		return SSH_AUTH_DENIED;
	s->login = xstrdup(user);
	s->user_id = user_id;
	s->authenticated = true;
	log_safe(user, safe, sizeof safe);
	log_set_prefix("session %lu %s %s", s->id, safe, s->source);
	log_info("accepted %s for %s from %s", method, safe, s->source);
	if (write(s->status_fd, "A", 1) != 1)
		log_warn("cannot tell the listener about the login");
	return SSH_AUTH_SUCCESS;
}

/* Shared by password and keyboard-interactive. */
static int
auth_check_password(struct session *s, const char *user, const char *password,
    const char *method)
{
	const char	*why = NULL;
	char		*cause = NULL;
	long long	 uid = 0;

	if (!auth_allowed(s, user))
		return SSH_AUTH_DENIED;
	switch (auth_password_check(s->db, user, password, &uid, &why,
	    &cause)) {
	case 1:
		return auth_accept(s, user, uid, method);
	case 0:
		auth_reject(s, user, why);
		break;
	default:
		log_error("auth_lookup: %s", cause);
		free(cause);
		break;
	}
	return SSH_AUTH_DENIED;
}

static int
auth_password(ssh_session ssh, const char *user, const char *password,
    void *arg)
{
	return auth_check_password(arg, user, password, "password");
}

/* Is this key one of the user's?  The user id as text, or NULL. */
static char *
auth_key_owner(struct session *s, const char *user, ssh_key key)
{
	PGresult	*res;
	const char	*p[3];
	char		*b64 = NULL, *cause = NULL, *uid = NULL;

	if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK)
		return NULL;
	p[0] = user;
	p[1] = ssh_key_type_to_char(ssh_key_type(key));
	p[2] = b64;
	res = db_exec(s->db, "SELECT caseterm.auth_pubkey_ok($1, $2, $3)", 3,
	    p, &cause);
	if (res == NULL) {
		log_error("auth_pubkey_ok: %s", cause);
		free(cause);
	} else if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		uid = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	ssh_string_free_char(b64);
	return uid;
}

static int
auth_pubkey(ssh_session ssh, const char *user, struct ssh_key_struct *key,
    char state, void *arg)
{
	struct session	*s = arg;
	char		*uid;
	int		 ret = SSH_AUTH_DENIED;

	if (state == SSH_PUBLICKEY_STATE_NONE) {
		/* "Would this key do?"  Not an attempt yet. */
		if (!auth_db(s))
			return SSH_AUTH_DENIED;
		uid = auth_key_owner(s, user, key);
		free(uid);
		return uid != NULL ? SSH_AUTH_SUCCESS : SSH_AUTH_DENIED;
	}
	if (state != SSH_PUBLICKEY_STATE_VALID || !auth_allowed(s, user))
		return SSH_AUTH_DENIED;
	if ((uid = auth_key_owner(s, user, key)) != NULL)
		ret = auth_accept(s, user, strtoll(uid, NULL, 10), "publickey");
	else
		auth_reject(s, user, "key not accepted");
	free(uid);
	return ret;
}

/*
 * Keyboard-interactive has no server callback in libssh 0.10: it arrives
 * as a message.  First the request (answer with one password prompt),
 * then the response.  Returns 0 when handled, 1 to let libssh answer.
 */
static int
auth_message(ssh_session ssh, ssh_message msg, void *arg)
{
	struct session	*s = arg;
	const char	*prompts[1] = { "Password: " };
	char		 echo[1] = { 0 };
	const char	*user, *answer;

	if (ssh_message_type(msg) != SSH_REQUEST_AUTH ||
	    ssh_message_subtype(msg) != SSH_AUTH_METHOD_INTERACTIVE ||
	    !(s->methods & SSH_AUTH_METHOD_INTERACTIVE))
		return 1;
	if (!ssh_message_auth_kbdint_is_response(msg)) {
		/* Only the request names the user; keep it for the answer. */
		free(s->kbdint_user);
		s->kbdint_user = xstrdup(ssh_message_auth_user(msg) != NULL ?
		    ssh_message_auth_user(msg) : "");
		ssh_message_auth_interactive_request(msg, "", "", 1, prompts,
		    echo);
		return 0;
	}
	user = s->kbdint_user != NULL ? s->kbdint_user : "";
	if (ssh_userauth_kbdint_getnanswers(ssh) == 1 &&
	    (answer = ssh_userauth_kbdint_getanswer(ssh, 0)) != NULL &&
	    auth_check_password(s, user, answer, "keyboard-interactive") ==
	    SSH_AUTH_SUCCESS) {
		ssh_message_auth_reply_success(msg, 0);
		return 0;
	}
	ssh_message_auth_set_methods(msg, s->methods);
	ssh_message_reply_default(msg);
	return 0;
}

static int
auth_methods(const char *list)
{
	int	 m = 0;

	if (strstr(list, "password") != NULL)
		m |= SSH_AUTH_METHOD_PASSWORD;
	if (strstr(list, "keyboard-interactive") != NULL)
		m |= SSH_AUTH_METHOD_INTERACTIVE;
	if (strstr(list, "publickey") != NULL)
		m |= SSH_AUTH_METHOD_PUBLICKEY;
	return m;
}

void
auth_setup(struct session *s)
{
	s->methods = auth_methods(s->cfg->auth_methods);
	memset(&s->server_cb, 0, sizeof s->server_cb);
	s->server_cb.userdata = s;
	if (s->methods & SSH_AUTH_METHOD_PASSWORD)
		s->server_cb.auth_password_function = auth_password;
	if (s->methods & SSH_AUTH_METHOD_PUBLICKEY)
		s->server_cb.auth_pubkey_function = auth_pubkey;
	s->server_cb.channel_open_request_session_function = server_channel_open;
	ssh_callbacks_init(&s->server_cb);
	ssh_set_server_callbacks(s->ssh, &s->server_cb);
	ssh_set_message_callback(s->ssh, auth_message, s);
	ssh_set_auth_methods(s->ssh, s->methods);
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
	free(s->kbdint_user);
	s->kbdint_user = NULL;
	db_close(s->db);
	s->db = NULL;
}
