/*
 * case-reveal.c — F7 on a case: the applicant's ID number and mobile
 * number in full, in a box.  Lists and the case screen show them masked
 * (3211**********1234); person_reveal() gives each in full to the roles
 * that may see it, within the jurisdiction, and writes the audit row
 * (who, when, from where, which field, from which case).  A refusal (an
 * analyst, a follow-up clerk asking for an ID number) is the database's
 * message, shown as it comes.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* One field in full: the value, "" when none is on file; NULL and *cause
 * when refused. */
static char *
case_reveal_field(struct ui *ui, const char *person, const char *field,
    const char *case_id, char **cause)
{
	const char	*p[3] = { person, field, case_id };
	PGresult	*res;
	char		*v;

	res = db_call(ui->db, "SELECT caseterm.person_reveal($1::bigint, $2, "
	    "$3::bigint)", 3, p, cause);
	if (res == NULL)
		return NULL;
	v = xstrdup(PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return v;
}

void
case_reveal(struct ui *ui, const char *case_id)
{
	const char	*p[1] = { case_id };
	PGresult	*res;
	char		*person, *id = NULL, *phone = NULL, *why = NULL;
	char		*why2 = NULL, *text, *cause = NULL;

	res = db_call(ui->db, "SELECT coalesce(applicant_id::text, '') FROM "
	    "caseterm.case_detail($1)", 1, p, &cause);
	if (res == NULL || PQntuples(res) != 1) {
		ui_status(ui, true, _("Cannot open the case: %s"),
		    _(cause != NULL ? cause : N_("no such case")));
		free(cause);
		PQclear(res);
		return;
	}
	person = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (*person == '\0') {
		ui_status(ui, true, "%s", _("This case has no applicant on "
		    "file."));
		free(person);
		return;
	}
	id = case_reveal_field(ui, person, "id_number", case_id, &why);
	phone = case_reveal_field(ui, person, "phone", case_id, &why2);
	if (id == NULL && phone == NULL) {
		/* Nothing may be shown: say why, as the database says it. */
		ui_status(ui, true, _("Not shown: %s"), _(why));
		ui_message(ui, _("Applicant in full"), _(why));
	} else {
		xasprintf(&text, _("ID number: %s   Mobile: %s"),
		    id == NULL ? _("(not allowed)") : *id != '\0' ? id :
		    _("(none on file)"), phone == NULL ? _("(not allowed)") :
		    *phone != '\0' ? phone : _("(none on file)"));
		ui_message(ui, _("Applicant in full (this view is recorded)"),
		    text);
		free(text);
	}
	free(id);
	free(phone);
	free(why);
	free(why2);
	free(person);
}
