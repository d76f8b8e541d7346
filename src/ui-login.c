/*
 * ui-login.c — who is using this UI.
 *
 * Under casetermd the session process has authenticated the clerk and hands
 * a one-time token on a descriptor; the UI claims it in the database and
 * learns the user from it.  Run by hand, the UI asks for a login and
 * password itself, checks them the same way casetermd does, and opens its
 * own login session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ui.h"

static int
ui_claim(struct ui *ui, const char *token, char **cause)
{
	const char	*p[1] = { token };
	PGresult	*res;

	res = db_exec(ui->db, "SELECT session_id, user_id FROM "
	    "caseterm.session_claim($1)", 1, p, cause);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		*cause = xstrdup(_("invalid or expired session token"));
		return -1;
	}
	ui->session_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	ui->user.id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	ui->db->user_id = ui->user.id;
	ui->db->session_id = ui->session_id;
	PQclear(res);
	return 0;
}

int
ui_login_token(struct ui *ui, int fd, char **cause)
{
	char	 token[129];
	ssize_t	 n;
	size_t	 len = 0;
	int	 ret;

	while (len < sizeof token - 1 &&
	    (n = read(fd, token + len, sizeof token - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	token[len] = '\0';
	token[strcspn(token, "\r\n")] = '\0';
	if (token[0] == '\0') {
		*cause = xstrdup(_("no session token"));
		return -1;
	}
	ret = ui_claim(ui, token, cause);
	explicit_bzero(token, sizeof token);
	return ret;
}

static void
ui_read_line(const char *prompt, char *buf, size_t len, bool echo)
{
	struct termios	 t, saved;
	bool		 tty = isatty(STDIN_FILENO);

	/* Echo off before the prompt shows, and without flushing: a password
	 * typed as soon as the prompt appears is neither shown nor lost. */
	if (!echo && tty) {
		tcgetattr(STDIN_FILENO, &saved);
		t = saved;
		t.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}
	fputs(prompt, stdout);
	fflush(stdout);
	if (fgets(buf, (int)len, stdin) == NULL)
		buf[0] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!echo && tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		fputs("\n", stdout);
	}
}

int
ui_login_local(struct ui *ui, char **cause)
{
	char		 login[64], password[256], *token;
	const char	*why = NULL;
	long long	 uid = 0;
	int		 tries, r, ret = -1;

	*cause = NULL;
	for (tries = 0; tries < 3; tries++) {
		ui_read_line(_("Login: "), login, sizeof login, true);
		ui_read_line(_("Password: "), password, sizeof password, false);
		r = auth_password_check(ui->db, login, password, &uid, &why,
		    cause);
		explicit_bzero(password, sizeof password);
		if (r < 0)
			break;
		if (r == 0) {
			auth_record_failure(ui->db, login, "local", why);
			puts(_("Login incorrect."));
			continue;
		}
		if ((token = auth_open_session(ui->db, uid, "local",
		    "password")) != NULL) {
			ret = ui_claim(ui, token, cause);
			passwd_burn(token, strlen(token));
			free(token);
		}
		break;
	}
	if (ret != 0 && *cause == NULL)
		*cause = xstrdup(_("Login incorrect."));
	return ret;
}

/* Roles come as a PostgreSQL array literal: {intake,handler}. */
static unsigned
ui_parse_roles(const char *s)
{
	char		*copy = xstrdup(s), *p, *tok, *save = NULL;
	unsigned	 bits = 0;

	p = copy + strspn(copy, "{");
	p[strcspn(p, "}")] = '\0';
	for (tok = strtok_r(p, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		bits |= code_bit(role_names, tok);
	free(copy);
	return bits;
}

int
ui_whoami(struct ui *ui, char **cause)
{
	struct ui_user	*u = &ui->user;
	PGresult	*res;

	res = db_call(ui->db, "SELECT login, display_name, unit_id, unit_code, "
	    "unit_name, unit_level, roles, locale FROM caseterm.whoami()", 0,
	    NULL, cause);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		*cause = xstrdup(_("your account is not available"));
		return -1;
	}
	u->login = xstrdup(PQgetvalue(res, 0, 0));
	u->name = xstrdup(PQgetvalue(res, 0, 1));
	u->unit_id = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
	u->unit_code = xstrdup(PQgetvalue(res, 0, 3));
	u->unit_name = xstrdup(PQgetvalue(res, 0, 4));
	u->level = xstrdup(PQgetvalue(res, 0, 5));
	u->level_bit = code_bit(level_names, u->level);
	u->roles = ui_parse_roles(PQgetvalue(res, 0, 6));
	u->locale = xstrdup(PQgetvalue(res, 0, 7));
	PQclear(res);
	return 0;
}

void
ui_logout(struct ui *ui)
{
	char		 id[32];
	const char	*p[1] = { id };
	char		*cause = NULL;

	if (ui->session_id == 0)
		return;
	snprintf(id, sizeof id, "%lld", ui->session_id);
	PQclear(db_call(ui->db, "SELECT caseterm.session_end($1)", 1, p,
	    &cause));
	if (cause != NULL)
		log_warn("session_end: %s", cause);
	free(cause);
	ui->session_id = 0;
}
