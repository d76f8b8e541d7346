/*
 * screen-users.c — the administrator's users: the list of their
 * jurisdiction (user_list()), F5 for a new one (forms/user.conf,
 * user_create()), and one user's screen: the account, its SSH keys, and
 * F5 for what may be done to it: disable or enable, reset the password,
 * set the roles, move to another unit, add or remove a key.  Who may
 * manage whom is the database's decision (admin_scope(): a district
 * administrator manages their district); a refusal is shown as it comes.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* The columns of USER_SQL, by position. */
enum {
	U_LOGIN, U_NAME, U_UNIT_CODE, U_UNIT_NAME, U_LEVEL, U_ROLES, U_LOCALE,
	U_DISABLED, U_HAS_PASSWORD, U_KEYS, U_CREATED, U_LAST_LOGIN
};
#define USER_SQL "SELECT login, display_name, unit_code, unit_name, " \
	"unit_level, array_to_string(roles, ','), locale, disabled, " \
	"has_password, keys, to_char(created_at AT TIME ZONE " \
	"'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), coalesce(to_char(" \
	"last_login AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), " \
	"'') FROM caseterm.user_list(NULL) WHERE login = $1"
#define KEYS_SQL "SELECT key_type, fingerprint, coalesce(comment, ''), " \
	"to_char(added_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), " \
	"coalesce(added_by, ''), key_id FROM caseterm.user_key_list($1)"

static const struct dialog user_new_dialog = {
	/* The login as user_create() stores it (the statement cannot read
	 * the new row back: its snapshot is older). */
	"user", NULL, "SELECT lower(caseterm.clean_text($1)) FROM "
	"caseterm.user_create($1, $2, $3, string_to_array($4, ','), $5, $6)",
	{ "login", "display_name", "unit", "roles", "locale", "password" }
};

/* What may be done to a user: the F5 list. */
enum user_act {
	UA_DISABLE, UA_ENABLE, UA_PASSWORD, UA_ROLES, UA_UNIT, UA_KEY_ADD,
	UA_KEY_REMOVE
};
static const struct user_action {
	enum user_act	 act;
	const char	*label;		/* msgid */
	struct dialog	 dialog;	/* form NULL: no dialog */
} user_actions[] = {
	{ UA_DISABLE, N_("Disable the account"), { NULL, NULL, NULL, { NULL } } },
	{ UA_ENABLE, N_("Enable the account"), { NULL, NULL, NULL, { NULL } } },
	{ UA_PASSWORD, N_("Reset the password"), { "user-password", NULL,
	  "SELECT caseterm.user_set_password($1, $2)", { "password" } } },
	{ UA_ROLES, N_("Set the roles"), { "user-roles", NULL,
	  "SELECT caseterm.user_set_roles($1, string_to_array($2, ','))",
	  { "roles" } } },
	{ UA_UNIT, N_("Move to another unit"), { "user-unit", NULL,
	  "SELECT caseterm.user_move($1, $2)", { "unit" } } },
	{ UA_KEY_ADD, N_("Add an SSH key"), { "user-key", NULL,
	  "SELECT caseterm.user_key_add_openssh($1, $2)", { "key" } } },
	{ UA_KEY_REMOVE, N_("Remove an SSH key"), { NULL, NULL, NULL,
	  { NULL } } },
};

static const struct code_name locales[] = {
	{ "zh_CN", N_("Chinese"), 0 },
	{ "en", N_("English"), 0 },
	{ NULL, NULL, 0 }
};

struct user_view {
	char		 login[64];
	PGresult	*user;
	PGresult	*keys;
};

/* The roles as a clerk reads them: "intake,handler" as "登记员, 承办人". */
static char *
roles_label(const char *codes)
{
	char	*copy = xstrdup(codes), *s = xstrdup(""), *t, *r, *last;

	for (r = strtok_r(copy, ",", &last); r != NULL;
	    r = strtok_r(NULL, ",", &last)) {
		xasprintf(&t, "%s%s%s", s, *s != '\0' ? ", " : "",
		    _(code_label(role_names, r)));
		free(s);
		s = t;
	}
	free(copy);
	return s;
}

static const char *
uv(const struct user_view *v, int col)
{
	return PQgetvalue(v->user, 0, col);
}

static bool
uv_true(const struct user_view *v, int col)
{
	return strcmp(uv(v, col), "t") == 0;
}

/* Read the user again; -1 when it cannot be read or is no longer within
 * the administrator's jurisdiction (said on the status line). */
static int
user_load(struct ui *ui, struct user_view *v)
{
	const char	*p[1] = { v->login };
	PGresult	*u, *k = NULL;
	char		*cause = NULL;

	if ((u = db_call(ui->db, USER_SQL, 1, p, &cause)) == NULL ||
	    (k = db_call(ui->db, KEYS_SQL, 1, p, &cause)) == NULL) {
		ui_status(ui, true, _("Cannot open the user: %s"), _(cause));
		free(cause);
		PQclear(u);
		return -1;
	}
	if (PQntuples(u) != 1) {
		ui_status(ui, true, _("%s is not a user of your jurisdiction."),
		    v->login);
		PQclear(u);
		PQclear(k);
		return -1;
	}
	PQclear(v->user);
	PQclear(v->keys);
	v->user = u;
	v->keys = k;
	return 0;
}

static void
user_draw(struct ui *ui, struct user_view *v)
{
	char	*s, *roles;
	int	 row = 4, i;

	if (ui_too_small(ui))
		return;
	xasprintf(&s, _("User %s"), uv(v, U_LOGIN));
	ui_frame(ui, s, _(" F5 act   F3 back   F10 log out"));
	free(s);
	xasprintf(&s, _("Login: %s   Name: %s"), uv(v, U_LOGIN),
	    uv(v, U_NAME));
	ui_put(row++, 2, COLS - 4, s, A_NORMAL);
	free(s);
	xasprintf(&s, _("Unit: %s (%s, %s)"), uv(v, U_UNIT_NAME),
	    uv(v, U_UNIT_CODE), _(code_label(level_names, uv(v, U_LEVEL))));
	ui_put(row++, 2, COLS - 4, s, A_NORMAL);
	free(s);
	roles = roles_label(uv(v, U_ROLES));
	xasprintf(&s, _("Roles: %s"), roles);
	ui_put(row++, 2, COLS - 4, s, A_NORMAL);
	free(s);
	free(roles);
	xasprintf(&s, _("Language: %s   Account: %s"),
	    _(code_label(locales, uv(v, U_LOCALE))), uv_true(v, U_DISABLED) ?
	    _("disabled") : _("active"));
	ui_put(row++, 2, COLS - 4, s, uv_true(v, U_DISABLED) ? A_BOLD :
	    A_NORMAL);
	free(s);
	xasprintf(&s, _("Password: %s   Created: %s   Last login: %s"),
	    uv_true(v, U_HAS_PASSWORD) ? _("set") : _("none"),
	    uv(v, U_CREATED), *uv(v, U_LAST_LOGIN) != '\0' ?
	    uv(v, U_LAST_LOGIN) : _("never"));
	ui_put(row++, 2, COLS - 4, s, A_NORMAL);
	free(s);
	row++;
	ui_put(row++, 2, COLS - 4, _("SSH keys"), A_BOLD | A_UNDERLINE);
	for (i = 0; i < PQntuples(v->keys) && row < LINES - 3; i++) {
		xasprintf(&s, "%s %s", PQgetvalue(v->keys, i, 0),
		    PQgetvalue(v->keys, i, 1));
		ui_put(row++, 4, COLS - 6, s, A_NORMAL);
		free(s);
		xasprintf(&s, _("%s (added %s by %s)"),
		    PQgetvalue(v->keys, i, 2), PQgetvalue(v->keys, i, 3),
		    PQgetvalue(v->keys, i, 4));
		ui_put(row++, 6, COLS - 8, s, A_NORMAL);
		free(s);
	}
	if (PQntuples(v->keys) == 0)
		ui_put(row, 4, COLS - 6, _("(none: the user logs in with the "
		    "password)"), A_NORMAL);
	move(2, 2);
	refresh();
}

/* Pick one of the user's keys and remove it. */
static bool
user_key_remove(struct ui *ui, struct user_view *v)
{
	const char	*items[32], *p[2];
	char		*labels[32], *q, *cause = NULL;
	PGresult	*res;
	int		 i, n, pick;
	bool		 done = false;

	n = PQntuples(v->keys) < 32 ? PQntuples(v->keys) : 32;
	for (i = 0; i < n; i++) {
		xasprintf(&labels[i], "%s %s", PQgetvalue(v->keys, i, 1),
		    PQgetvalue(v->keys, i, 2));
		items[i] = labels[i];
	}
	pick = ui_choose(ui, _("Remove an SSH key"), items, (size_t)n);
	if (pick >= 0) {
		xasprintf(&q, _("Remove the key %s of %s?"),
		    PQgetvalue(v->keys, pick, 1), v->login);
		if (ui_confirm(ui, q)) {
			p[0] = v->login;
			p[1] = PQgetvalue(v->keys, pick, 5);
			res = db_call(ui->db, "SELECT caseterm.user_key_remove("
			    "$1, $2)", 2, p, &cause);
			if (res == NULL) {
				ui_status(ui, true, _("Not done: %s"), _(cause));
				free(cause);
			} else {
				ui_status(ui, false, _("Done: %s."),
				    _("Remove an SSH key"));
				done = true;
			}
			PQclear(res);
		}
		free(q);
	}
	for (i = 0; i < n; i++)
		free(labels[i]);
	return done;
}

/* Disable or enable, after asking. */
static bool
user_set_disabled(struct ui *ui, struct user_view *v, bool disable)
{
	char	*q;
	bool	 done;

	if (disable)
		xasprintf(&q, _("Disable the account of %s (%s)? Their "
		    "sessions end now."), uv(v, U_NAME), v->login);
	else
		xasprintf(&q, _("Enable the account of %s (%s)?"),
		    uv(v, U_NAME), v->login);
	done = dialog_confirm(ui, q, disable ?
	    "SELECT caseterm.user_set_disabled($1, true)" :
	    "SELECT caseterm.user_set_disabled($1, false)", v->login,
	    disable ? _("Disable the account") : _("Enable the account"));
	free(q);
	return done;
}

/* F5: the actions that make sense now; true when one was done. */
static bool
user_act(struct ui *ui, struct user_view *v)
{
	const struct user_action *acts[8];
	const char		*labels[8];
	const char		*defaults[3] = { NULL, NULL, NULL };
	size_t			 i, n = 0;
	int			 pick;

	for (i = 0; i < sizeof user_actions / sizeof user_actions[0]; i++) {
		switch (user_actions[i].act) {
		case UA_DISABLE:
			if (uv_true(v, U_DISABLED))
				continue;
			break;
		case UA_ENABLE:
			if (!uv_true(v, U_DISABLED))
				continue;
			break;
		case UA_KEY_REMOVE:
			if (PQntuples(v->keys) == 0)
				continue;
			break;
		default:
			break;
		}
		acts[n] = &user_actions[i];
		labels[n++] = user_actions[i].label;
	}
	if ((pick = ui_choose(ui, _("What to do"), labels, n)) < 0)
		return false;
	switch (acts[pick]->act) {
	case UA_DISABLE:
	case UA_ENABLE:
		return user_set_disabled(ui, v, acts[pick]->act == UA_DISABLE);
	case UA_KEY_REMOVE:
		return user_key_remove(ui, v);
	case UA_ROLES:
		defaults[0] = "roles";
		defaults[1] = uv(v, U_ROLES);
		break;
	case UA_UNIT:
		defaults[0] = "unit";
		defaults[1] = uv(v, U_UNIT_CODE);
		break;
	default:
		break;
	}
	return dialog_run(ui, &acts[pick]->dialog, v->login, defaults, NULL);
}

/* One user: the account and its keys; F5 acts on it. */
static void
screen_user(struct ui *ui, const char *login)
{
	struct user_view	 v;
	wint_t			 wc;
	int			 code;

	memset(&v, 0, sizeof v);
	snprintf(v.login, sizeof v.login, "%s", login);
	if (user_load(ui, &v) != 0)
		return;
	while (!ui->quit) {
		user_draw(ui, &v);
		switch (ui_key(ui, &wc, &code)) {
		case UK_ENTER:
		case UK_OTHER:
			if (code != KEY_F(5) && code != 0 && code != KEY_ENTER)
				break;
			/* A refusal stays on the status line; what was done
			 * is read back (the user may have left the
			 * jurisdiction with a move). */
			if (user_act(ui, &v) && user_load(ui, &v) != 0)
				goto out;
			break;
		case UK_BACK:
			goto out;
		case UK_QUIT:
			ui->quit = true;
			break;
		default:
			break;
		}
	}
out:
	PQclear(v.user);
	PQclear(v.keys);
}

/* The list: shown columns, then the login. */
static int
users_fill(struct ui *ui, struct list_view *lv)
{
	PGresult	*res;
	char		*cause = NULL, *t;
	size_t		 i;

	res = db_call(ui->db, "SELECT login, display_name, unit_name, "
	    "CASE WHEN disabled THEN 'x' ELSE '' END, array_to_string(roles, "
	    "','), login FROM caseterm.user_list(NULL)", 0, NULL, &cause);
	if (res == NULL) {
		ui_status(ui, true, _("Cannot load the list: %s"), _(cause));
		free(cause);
		return -1;
	}
	list_free(lv);
	list_load(lv, res);
	PQclear(res);
	for (i = 0; i < lv->nrows; i++) {
		t = xstrdup(*lv->rows[i][3] != '\0' ? _("disabled") : "");
		free(lv->rows[i][3]);
		lv->rows[i][3] = t;
		t = roles_label(lv->rows[i][4]);
		free(lv->rows[i][4]);
		lv->rows[i][4] = t;
	}
	if (lv->sel >= lv->nrows)
		lv->sel = lv->nrows > 0 ? lv->nrows - 1 : 0;
	return 0;
}

static void
users_open(struct ui *ui, struct list_view *lv, size_t i)
{
	screen_user(ui, lv->rows[i][lv->ncols]);
	lv->reload = true;
}

/* F5: a new user; their screen next, to add a key. */
static void
users_key(struct ui *ui, struct list_view *lv, int code)
{
	char	*login = NULL;

	if (code != KEY_F(5))
		return;
	if (dialog_run(ui, &user_new_dialog, NULL, NULL, &login) &&
	    login != NULL) {
		screen_user(ui, login);
		lv->reload = true;
	}
	free(login);
}

void
screen_users(struct ui *ui)
{
	static const struct list_col cols[] = {
		{ N_("Login"), 14 }, { N_("Name"), 10 }, { N_("Unit"), 22 },
		{ N_("Account"), 6 }, { N_("Roles"), 0 },
	};
	struct list_view	 lv;

	memset(&lv, 0, sizeof lv);
	lv.title = _("Users");
	lv.cols = cols;
	lv.ncols = sizeof cols / sizeof cols[0];
	lv.open = users_open;
	lv.key = users_key;
	lv.keys = _(" ↑↓ move   Enter open   F5 new user   F3 back   "
	    "F10 log out");
	list_run_reload(ui, &lv, users_fill);
}
