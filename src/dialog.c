/*
 * dialog.c — a small form that does one thing: an administrator's dialog
 * (forms/NAME.conf with drafts = false) that, on F2, calls one fixed,
 * parameterised statement with what was typed.  $1 is what the dialog is
 * about (a login, a unit code, a session id) when there is one, then the
 * named fields in order; an empty field is passed as NULL.  A refused call
 * keeps the dialog open with everything typed, says why on the status line
 * and puts the cursor on the field the database names (its COLUMN).
 *
 * Passwords: a field named "password" must be typed twice (the field
 * "password2", which is not passed on) and reaches the database only as
 * its crypt(3) hash (passwd_hash()); the text typed is wiped.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* The dialog's form, its title set to the dialog's (translated) title
 * and the defaults (name, value pairs) filled in; NULL when it cannot be
 * read (said on the status line). */
static struct form_def *
dialog_load(struct ui *ui, const struct dialog *d, const char *const *defaults)
{
	struct form_def	*def;
	int		 i;

	if ((def = ui_form_load(ui, d->form)) == NULL)
		return NULL;
	if (d->title != NULL) {
		free(def->title);
		def->title = xstrdup(d->title);
	}
	for (; defaults != NULL && defaults[0] != NULL; defaults += 2) {
		if ((i = form_field_index(def, defaults[0])) < 0)
			continue;
		free(def->fields[i].def);
		def->fields[i].def = xstrdup(defaults[1]);
	}
	return def;
}

/* "password" twice alike: its hash into *hash (NULL when empty); -1 with
 * the cursor on the second one when they differ. */
static int
dialog_password(struct ui *ui, struct form *f, char **hash)
{
	char		*t1 = NULL, *t2 = NULL;
	const char	*p1, *p2;
	int		 i, ret = 0;

	*hash = NULL;
	p1 = form_value(f, "password", &t1);
	p2 = form_value(f, "password2", &t2);
	if (strcmp(p1, p2) != 0) {
		ui_status(ui, true, "%s", _("The two passwords differ: type "
		    "the same one twice."));
		if ((i = form_field_index(f->def, "password2")) >= 0)
			form_goto(f, (size_t)i);
		ret = -1;
	} else if (*p1 != '\0' && (*hash = passwd_hash(p1)) == NULL) {
		ui_status(ui, true, "%s", _("The password cannot be hashed."));
		ret = -1;
	}
	if (t1 != NULL)
		passwd_burn(t1, strlen(t1));
	if (t2 != NULL)
		passwd_burn(t2, strlen(t2));
	free(t1);
	free(t2);
	return ret;
}

/* Call d->sql with object and the form's values; NULL and *cause when
 * refused (or, for a password, when it was not typed twice alike: then
 * *cause stays NULL). */
static PGresult *
dialog_call(struct ui *ui, const struct dialog *d, const char *object,
    struct form *f, char **cause)
{
	const char	*p[1 + DIALOG_FIELDS];
	char		*tofree[DIALOG_FIELDS] = { NULL }, *hash = NULL;
	PGresult	*res;
	int		 i, n = 0;

	*cause = NULL;
	if (object != NULL)
		p[n++] = object;
	for (i = 0; i < DIALOG_FIELDS && d->fields[i] != NULL; i++) {
		if (strcmp(d->fields[i], "password") == 0) {
			if (dialog_password(ui, f, &hash) != 0)
				goto out;
			p[n++] = hash;
			continue;
		}
		p[n] = form_value(f, d->fields[i], &tofree[i]);
		if (*p[n] == '\0')
			p[n] = NULL;
		n++;
	}
	res = db_call(ui->db, d->sql, n, p, cause);
	free(hash);
	for (i = 0; i < DIALOG_FIELDS; i++)
		free(tofree[i]);
	return res;
out:
	for (i = 0; i < DIALOG_FIELDS; i++)
		free(tofree[i]);
	return NULL;
}

/*
 * Run dialog d about object (NULL: none) with defaults (name, value, ...,
 * NULL; may be NULL).  True when the statement was done; *result (when
 * not NULL) then gets its first value, or "" (caller frees).  False when
 * the clerk left.
 */
bool
dialog_run(struct ui *ui, const struct dialog *d, const char *object,
    const char *const *defaults, char **result)
{
	struct form_def	*def;
	struct form	 f;
	PGresult	*res;
	enum ui_key	 k;
	char		*cause = NULL;
	bool		 done = false;
	int		 i;

	if (result != NULL)
		*result = NULL;
	if ((def = dialog_load(ui, d, defaults)) == NULL)
		return false;
	form_init(&f, def, ui);
	ui_status(ui, false, "%s", _("F2 to do it, F3 to leave."));
	while ((k = form_run(&f)) == UK_SAVE) {
		if ((res = dialog_call(ui, d, object, &f, &cause)) != NULL) {
			if (result != NULL)
				*result = xstrdup(PQntuples(res) > 0 &&
				    PQnfields(res) > 0 ? PQgetvalue(res, 0, 0) :
				    "");
			PQclear(res);
			done = true;
			break;
		}
		if (cause == NULL)
			continue;	/* the passwords differ: said */
		ui_status(ui, true, _("Not done: %s"), _(cause));
		free(cause);
		cause = NULL;
		if (ui->db->err_column[0] != '\0' &&
		    (i = form_field_index(def, ui->db->err_column)) >= 0)
			form_goto(&f, (size_t)i);
	}
	if (k == UK_QUIT)
		ui->quit = true;
	if (done)
		ui_status(ui, false, _("Done: %s."), _(def->title));
	form_free(&f);
	form_def_free(def);
	return done;
}

/* Ask, then call sql with object as $1; the outcome on the status line.
 * True when done. */
bool
dialog_confirm(struct ui *ui, const char *question, const char *sql,
    const char *object, const char *done)
{
	const char	*p[1] = { object };
	PGresult	*res;
	char		*cause = NULL;

	if (!ui_confirm(ui, question))
		return false;
	if ((res = db_call(ui->db, sql, 1, p, &cause)) == NULL) {
		ui_status(ui, true, _("Not done: %s"), _(cause));
		free(cause);
		return false;
	}
	PQclear(res);
	ui_status(ui, false, _("Done: %s."), done);
	return true;
}
