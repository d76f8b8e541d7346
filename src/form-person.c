/*
 * form-person.c — the person field: the clerk types a resident ID number
 * or a mobile number, and a known person's name, ID number and phone fill
 * the fields the form names (fills = { ... }), so nobody types a person
 * twice.  caseterm.person_find() (sql/010_drafts.sql) searches only the
 * persons this clerk may see and audits each one it shows.  Several found
 * (a shared phone): the clerk picks one.  None: the number typed goes into
 * the ID number or phone field, ready for a new person.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static void
person_fill(struct form *f, int j, const char *v)
{
	if (j < 0 || *v == '\0')
		return;
	edit_set(&f->values[j], v);
	edit_end(&f->values[j]);
	free(f->errors[j]);
	f->errors[j] = NULL;
	f->dirty = f->drafted = true;
}

static bool
person_empty(struct form *f, int j)
{
	return j >= 0 && f->values[j].len == 0;
}

/* Several persons with this number: which one? */
static int
person_choose(struct form *f, PGresult *res)
{
	struct choices	 t;
	int		 r, n = PQntuples(res), pick;

	t.n = (size_t)n;
	t.v = xcalloc((size_t)n + 1, sizeof *t.v);
	for (r = 0; r < n; r++) {
		xasprintf(&t.v[r].code, "%d", r + 1);
		xasprintf(&t.v[r].label, "%s  %s %s", PQgetvalue(res, r, 1),
		    PQgetvalue(res, r, 2), PQgetvalue(res, r, 3));
	}
	pick = picklist_run(f->ui, _("Several persons have this number"), &t,
	    "", 0, NULL);
	choices_free(&t);
	return pick;
}

void
form_person_lookup(struct form *f, size_t i)
{
	const struct field_def	*fd = &f->def->fields[i];
	struct field_value	 v;
	const char		*p[1];
	PGresult		*res;
	char			*text, *cause = NULL;
	int			 r;

	text = edit_get(&f->values[i]);
	if (field_check(fd, text, false, NULL, time(NULL), &v) != 0 ||
	    v.value == NULL) {
		field_value_clear(&v);
		free(text);
		return;
	}
	free(text);
	/* The same number again: the same answer, and no new audit row. */
	if (f->looked[i] != NULL && strcmp(f->looked[i], v.value) == 0) {
		field_value_clear(&v);
		return;
	}
	p[0] = v.value;
	res = db_call(f->ui->db, "SELECT person_id, name, "
	    "coalesce(id_number, ''), coalesce(phone, '') FROM "
	    "caseterm.person_find($1)", 1, p, &cause);
	free(f->hints[i]);
	f->hints[i] = NULL;
	if (res == NULL) {
		ui_status(f->ui, true, _("Cannot look the person up: %s"),
		    _(cause));
		free(cause);
		goto out;
	}
	free(f->looked[i]);
	f->looked[i] = xstrdup(v.value);
	if (PQntuples(res) == 0) {
		/* A new person: what was typed is a start. */
		if (strlen(v.value) == 18 && person_empty(f, fd->fills.id_number))
			person_fill(f, fd->fills.id_number, v.value);
		else if (strlen(v.value) == 11 && person_empty(f, fd->fills.phone))
			person_fill(f, fd->fills.phone, v.value);
		f->hints[i] = xstrdup(_("new person"));
		ui_status(f->ui, false, "%s", _("No known person has this "
		    "number: fill in the details."));
	} else {
		r = PQntuples(res) == 1 ? 0 : person_choose(f, res);
		if (r >= 0) {
			person_fill(f, fd->fills.name, PQgetvalue(res, r, 1));
			person_fill(f, fd->fills.id_number, PQgetvalue(res, r, 2));
			person_fill(f, fd->fills.phone, PQgetvalue(res, r, 3));
			xasprintf(&f->hints[i], "→ %s", PQgetvalue(res, r, 1));
			ui_status(f->ui, false, _("Found %s: the details are "
			    "filled in."), PQgetvalue(res, r, 1));
		}
	}
	PQclear(res);
out:
	field_value_clear(&v);
	form_draw(f);
}
