/*
 * screen-intake.c — taking in a request, one table row per kind: the form
 * (forms/NAME.conf, which is also the screen's and the draft's name), the
 * one parameterised call that registers it (and deletes the draft in the
 * same statement), and the form fields it takes in order.  Mediation, with
 * its parties, has a screen of its own (screen-mediation.c).
 *
 * Before saving, intake_check() looks the applicant up: a person with an
 * open case of the same kind is offered for linking or merging, and one
 * who is the adverse party in an open case is pointed out.  The clerk
 * decides; going back keeps everything typed.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define INTAKE_FIELDS	9

struct intake_kind {
	const char	*name;		/* screen, form and draft */
	const char	*kind;		/* legal_case.kind */
	const char	*sql;
	const char	*fields[INTAKE_FIELDS];
};

static const struct intake_kind intake_kinds[] = {
	{ "consultation", "consultation",
	  "SELECT r.case_id, r.case_no, caseterm.draft_delete('consultation') "
	  "FROM caseterm.register_consultation($1, $2, $3, $4, $5, $6) r",
	  { "applicant_name", "phone", "id_number", "question", "answer",
	    "channel" } },
	{ "legal_aid", "legal_aid",
	  "SELECT r.case_id, r.case_no, caseterm.draft_delete('legal_aid') "
	  "FROM caseterm.register_legal_aid($1, $2, $3, $4, $5, nullif($6, ''), "
	  "nullif($7, '')::int, nullif($8, '')::numeric, $9 = 'yes') r",
	  { "applicant_name", "phone", "id_number", "subject", "channel",
	    "aid_category", "household_size", "monthly_income", "urgent" } },
	{ "legal_service", "legal_service",
	  "SELECT r.case_id, r.case_no, caseterm.draft_delete('legal_service') "
	  "FROM caseterm.register_legal_service($1, $2, $3, $4, $5, $6, "
	  "$7 = 'yes') r",
	  { "applicant_name", "phone", "id_number", "subject", "channel",
	    "service", "urgent" } },
	{ "complaint", "complaint",
	  "SELECT r.case_id, r.case_no, caseterm.draft_delete('complaint') "
	  "FROM caseterm.register_complaint(nullif($1, ''), $2, $3, $4, $5, "
	  "nullif($6, ''), $7 = 'yes') r",
	  { "applicant_name", "phone", "id_number", "subject", "channel",
	    "about", "urgent" } },
	{ "suggestion", "suggestion",
	  "SELECT r.case_id, r.case_no, caseterm.draft_delete('suggestion') "
	  "FROM caseterm.register_suggestion(nullif($1, ''), $2, $3, $4, $5) r",
	  { "applicant_name", "phone", "id_number", "subject", "channel" } },
};

/* What the clerk chose when the applicant is known. */
enum intake_choice { IC_NEW, IC_LINK, IC_MERGE, IC_BACK };

static const struct code_name intake_matches[] = {
	{ "same_kind", N_("open case of the same kind"), 0 },
	{ "adverse_party", N_("ADVERSE PARTY in this case"), 0 },
	{ NULL, NULL, 0 }
};

/* The known cases of the applicant in a box; the clerk's choice. */
static enum intake_choice
intake_ask(struct ui *ui, PGresult *res, const char *other)
{
	const char	*opts[4];
	char		*line, *link = NULL, *merge = NULL;
	enum intake_choice map[4];
	int		 i, n = 0, row, pick;

	ui_frame(ui, _("This person is already known"),
	    _(" ↑↓ choose   Enter confirm   F3 back to the form"));
	for (i = 0, row = 4; i < PQntuples(res) && row < 12; i++, row++) {
		xasprintf(&line, "%s  %s  %s  %s — %s", PQgetvalue(res, i, 1),
		    case_kind_label(PQgetvalue(res, i, 2)),
		    case_state_label(PQgetvalue(res, i, 3)),
		    PQgetvalue(res, i, 4),
		    _(code_label(intake_matches, PQgetvalue(res, i, 0))));
		ui_put(row, 4, COLS - 8, line,
		    strcmp(PQgetvalue(res, i, 0), "adverse_party") == 0 ?
		    A_BOLD : A_NORMAL);
		free(line);
	}
	opts[n] = N_("Register it as a new case");
	map[n++] = IC_NEW;
	if (other != NULL) {
		xasprintf(&link, _("Register it and link it to %s"), other);
		xasprintf(&merge, _("Register it as a duplicate of %s"), other);
		opts[n] = link;
		map[n++] = IC_LINK;
		opts[n] = merge;
		map[n++] = IC_MERGE;
	}
	opts[n] = N_("Back to the form");
	map[n++] = IC_BACK;
	pick = ui_choose(ui, _("What to do"), opts, (size_t)n);
	free(link);
	free(merge);
	return pick < 0 ? IC_BACK : map[pick];
}

/* Look the applicant up before saving; IC_NEW when nobody is known. */
static enum intake_choice
intake_check(struct ui *ui, const struct intake_kind *k, struct form *f,
    char *other_id, size_t len)
{
	const char	*p[4];
	char		*tofree[3];
	PGresult	*res;
	char		*cause = NULL, *other = NULL;
	enum intake_choice c = IC_NEW;
	int		 i;

	p[0] = k->kind;
	p[1] = form_value(f, "applicant_name", &tofree[0]);
	p[2] = form_value(f, "phone", &tofree[1]);
	p[3] = form_value(f, "id_number", &tofree[2]);
	res = db_call(ui->db, "SELECT match, case_no, kind, state, unit_name, "
	    "visible, case_id FROM caseterm.intake_check($1, nullif($2, ''), "
	    "nullif($3, ''), nullif($4, ''))", 4, p, &cause);
	for (i = 0; i < 3; i++)
		free(tofree[i]);
	if (res == NULL) {
		free(cause);	/* the check is a help, not a gate */
		return IC_NEW;
	}
	if (PQntuples(res) > 0) {
		for (i = 0; i < PQntuples(res); i++) {
			if (strcmp(PQgetvalue(res, i, 0), "same_kind") == 0 &&
			    strcmp(PQgetvalue(res, i, 5), "t") == 0) {
				other = PQgetvalue(res, i, 1);
				snprintf(other_id, len, "%s", PQgetvalue(res, i, 6));
				break;
			}
		}
		c = intake_ask(ui, res, other);
	}
	PQclear(res);
	return c;
}

static PGresult *
intake_save(struct ui *ui, const struct intake_kind *k, struct form *f,
    char **cause)
{
	const char	*p[INTAKE_FIELDS];
	char		*tofree[INTAKE_FIELDS] = { NULL };
	PGresult	*res;
	int		 i, n;

	for (n = 0; n < INTAKE_FIELDS && k->fields[n] != NULL; n++)
		p[n] = form_value(f, k->fields[n], &tofree[n]);
	res = db_call(ui->db, k->sql, n, p, cause);
	for (i = 0; i < n; i++)
		free(tofree[i]);
	return res;
}

/* After registering: link or merge as the clerk chose. */
static const char *
intake_relate(struct ui *ui, enum intake_choice c, const char *id,
    const char *other_id)
{
	const char	*p[2] = { id, other_id };
	PGresult	*res;
	char		*cause = NULL;

	if (c == IC_LINK)
		res = db_call(ui->db, "SELECT caseterm.case_link($1, NULL, $2)",
		    2, p, &cause);
	else if (c == IC_MERGE)
		res = db_call(ui->db, "SELECT caseterm.case_merge($1, (SELECT "
		    "version FROM caseterm.legal_case WHERE id = $1), $2, NULL)",
		    2, p, &cause);
	else
		return "";
	if (res == NULL) {
		ui_status(ui, true, _("Registered, but not related: %s"),
		    _(cause));
		free(cause);
		return "";
	}
	PQclear(res);
	return c == IC_LINK ? _(" Linked to the known case.") :
	    _(" Merged into the known case as its duplicate.");
}

static void
intake_run(struct ui *ui, const struct intake_kind *k)
{
	struct form_def		*def;
	struct form		 f;
	PGresult		*res;
	enum ui_key		 key;
	enum intake_choice	 c;
	char			*cause = NULL, *msg, other[24] = "";
	int			 i;

	if ((def = ui_form_load(ui, k->name)) == NULL)
		return;
	form_init(&f, def, ui);
	if (!form_draft_resume(&f))
		ui_status(ui, false, "%s", _("Fields marked * are required."));
	while ((key = form_run(&f)) == UK_SAVE) {
		if ((c = intake_check(ui, k, &f, other, sizeof other)) ==
		    IC_BACK) {
			ui_status(ui, false, "%s", _("Nothing saved yet."));
			continue;
		}
		if ((res = intake_save(ui, k, &f, &cause)) == NULL) {
			ui_status(ui, true, _("Not saved: %s"), _(cause));
			free(cause);
			cause = NULL;
			if (ui->db->err_column[0] != '\0' && (i =
			    form_field_index(f.def, ui->db->err_column)) >= 0)
				form_goto(&f, (size_t)i);
			continue;
		}
		xasprintf(&msg, _("Registered as case %s."),
		    PQgetvalue(res, 0, 1));
		ui_status(ui, false, "%s%s", msg, intake_relate(ui, c,
		    PQgetvalue(res, 0, 0), other));
		PQclear(res);
		ui_message(ui, _("Saved"), ui->status);
		free(msg);
		break;
	}
	if (key == UK_QUIT)
		ui->quit = true;
	form_free(&f);
	form_def_free(def);
}

void
screen_intake(struct ui *ui, const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof intake_kinds / sizeof intake_kinds[0]; i++)
		if (strcmp(intake_kinds[i].name, name) == 0)
			intake_run(ui, &intake_kinds[i]);
}
