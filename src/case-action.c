/*
 * case-action.c — the steps a clerk takes on a case, as a table: what
 * allowed_actions() calls it, the label, the dialog (a form in forms/ with
 * drafts = false) and the one fixed, parameterised call that does it.
 * $1 is the case, $2 the version the clerk saw, $3... the dialog's fields
 * in the order `fields` names them.  The database decides who may do what
 * (allowed_actions() offers only those; every step checks again).
 *
 * A refused step keeps the dialog open with what was typed.  If someone
 * else changed the case meanwhile (SQLSTATE 40001), the case is reloaded,
 * the clerk is told who changed it and when, and the same dialog, still
 * filled in, applies to the new version with one more F2.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define UNIT_ID	"(SELECT id FROM caseterm.org_unit WHERE code = $3)"
#define CASE_ID	"(SELECT case_id FROM caseterm.search_cases(p_case_no => $3) " \
		"LIMIT 1)"

static const struct case_action case_actions[] = {
	{ "review_accept", N_("Accept"), "step-note",
	  "SELECT caseterm.case_review_accept($1, $2, nullif($3, ''))",
	  { "note" } },
	{ "review_reject", N_("Reject"), "step-reason",
	  "SELECT caseterm.case_review_reject($1, $2, $3)", { "reason" } },
	{ "answer", N_("Answer on the spot"), "step-text",
	  "SELECT caseterm.case_answer($1, $2, $3)", { "text" } },
	{ "sign", N_("Sign for"), NULL,
	  "SELECT caseterm.case_sign($1, $2)", { NULL } },
	{ "dispatch", N_("Dispatch to a unit"), "step-unit",
	  "SELECT caseterm.case_dispatch($1, $2, " UNIT_ID ", nullif($4, ''))",
	  { "unit", "note" } },
	{ "return", N_("Return with a reason"), "step-reason",
	  "SELECT caseterm.case_return($1, $2, $3)", { "reason" } },
	{ "approve_return", N_("Approve the return"), "step-note",
	  "SELECT caseterm.case_approve_return($1, $2, nullif($3, ''))",
	  { "note" } },
	{ "refuse_return", N_("Refuse the return"), "step-reason",
	  "SELECT caseterm.case_refuse_return($1, $2, $3)", { "reason" } },
	{ "assign", N_("Assign a handler"), "step-assign",
	  "SELECT caseterm.case_assign($1, $2, (SELECT id FROM "
	  "caseterm.app_user WHERE login = $3))", { "handler" } },
	{ "reply", N_("Reply"), "step-text",
	  "SELECT caseterm.case_reply($1, $2, $3)", { "text" } },
	{ "approve_reply", N_("Approve the reply"), "step-note",
	  "SELECT caseterm.case_approve_reply($1, $2, nullif($3, ''))",
	  { "note" } },
	{ "refuse_reply", N_("Refuse the reply"), "step-reason",
	  "SELECT caseterm.case_refuse_reply($1, $2, $3)", { "reason" } },
	{ "request_extension", N_("Request an extension"), "step-days",
	  "SELECT caseterm.case_request_extension($1, $2, $3::int, $4)",
	  { "days", "reason" } },
	{ "approve_extension", N_("Approve the extension"), "step-note",
	  "SELECT caseterm.case_approve_extension($1, $2, NULL, "
	  "nullif($3, ''))", { "note" } },
	{ "refuse_extension", N_("Refuse the extension"), "step-reason",
	  "SELECT caseterm.case_refuse_extension($1, $2, $3)", { "reason" } },
	{ "transfer", N_("Transfer to another unit"), "step-unit",
	  "SELECT caseterm.case_transfer($1, $2, " UNIT_ID ", $4)",
	  { "unit", "note" } },
	{ "sub_dispatch", N_("Sub-dispatch part of the work"),
	  "step-subdispatch",
	  "SELECT case_no FROM caseterm.case_sub_dispatch($1, $2, " UNIT_ID
	  ", $4, $5::int)", { "unit", "subject", "days" } },
	{ "followup", N_("Record the follow-up"), "step-followup",
	  "SELECT caseterm.case_followup($1, $2, $3, $4 = 'yes', "
	  "nullif($5, ''))", { "satisfaction", "justified", "comment" } },
	{ "close", N_("Close"), "step-reason",
	  "SELECT caseterm.case_close($1, $2, $3)", { "reason" } },
	{ "reopen", N_("Reopen"), "step-reason",
	  "SELECT caseterm.case_reopen($1, $2, $3)", { "reason" } },
	{ "urge", N_("Urge"), "step-note",
	  "SELECT caseterm.case_urge($1, $2, nullif($3, ''))", { "note" } },
	{ "supervise", N_("Supervise"), "step-note",
	  "SELECT caseterm.case_supervise($1, $2, true, nullif($3, ''))",
	  { "note" } },
	{ "unsupervise", N_("Stop supervising"), "step-note",
	  "SELECT caseterm.case_supervise($1, $2, false, nullif($3, ''))",
	  { "note" } },
	{ "merge", N_("Merge into another case"), "step-case",
	  "SELECT caseterm.case_merge($1, $2, " CASE_ID ", nullif($4, ''))",
	  { "other", "reason" } },
	{ "link", N_("Link a related case"), "step-case",
	  "SELECT caseterm.case_link($1, $2, " CASE_ID ")", { "other" } },
	{ "add_party", N_("Add a party"), "step-party",
	  "SELECT caseterm.case_add_party($1, $2, $3, $4, nullif($5, ''), "
	  "nullif($6, ''), nullif($7, ''))",
	  { "role", "name", "phone", "id_number", "note" } },
	{ "note", N_("Add a note"), "step-text",
	  "SELECT caseterm.case_note($1, $2, $3)", { "text" } },
};

const struct case_action *
case_action_find(const char *code)
{
	size_t	 i;

	for (i = 0; i < sizeof case_actions / sizeof case_actions[0]; i++)
		if (strcmp(case_actions[i].code, code) == 0)
			return &case_actions[i];
	return NULL;
}

static const struct code_name suggestion_reasons[] = {
	{ "specialised", N_("specialised body for the category"), 0 },
	{ "legal_aid", N_("legal aid centre"), 0 },
	{ "place_town", N_("justice office of the place"), 0 },
	{ "district", N_("the district"), 0 },
	{ NULL, NULL, 0 }
};

/*
 * Dispatching: the units the case's category and place suggest.  The best
 * fills the unit field (the clerk may type over it or press F4 for the
 * tree); the first three are named on the status line.
 */
static void
case_action_suggest(struct ui *ui, struct case_ref *c, struct form *f)
{
	const char	*p[1] = { c->id };
	PGresult	*res;
	char		*cause = NULL, *line = NULL, *t;
	int		 i, unit;

	if ((unit = form_field_index(f->def, "unit")) < 0)
		return;
	res = db_call(ui->db, "SELECT unit_name, reason FROM "
	    "caseterm.dispatch_suggestions($1) ORDER BY rank LIMIT 3", 1, p,
	    &cause);
	if (res == NULL || PQntuples(res) == 0) {
		free(cause);
		PQclear(res);
		return;
	}
	edit_set(&f->values[unit], PQgetvalue(res, 0, 0));
	edit_end(&f->values[unit]);
	f->fresh[unit] = true;		/* typing replaces the suggestion */
	for (i = 0; i < PQntuples(res); i++) {
		xasprintf(&t, "%s%s%s (%s)", line != NULL ? line : "",
		    line != NULL ? "; " : "", PQgetvalue(res, i, 0),
		    _(code_label(suggestion_reasons, PQgetvalue(res, i, 1))));
		free(line);
		line = t;
	}
	ui_status(ui, false, _("Suggested: %s"), line);
	free(line);
	PQclear(res);
}

/* Do the step with the dialog's values; NULL cause when done. */
static PGresult *
case_action_call(struct ui *ui, const struct case_action *a,
    struct case_ref *c, struct form *f, char **cause)
{
	const char	*p[2 + CASE_ACTION_FIELDS];
	char		*tofree[CASE_ACTION_FIELDS] = { NULL };
	PGresult	*res;
	int		 i, n = 2;

	p[0] = c->id;
	p[1] = c->version;
	for (i = 0; i < CASE_ACTION_FIELDS && a->fields[i] != NULL; i++)
		p[n++] = form_value(f, a->fields[i], &tofree[i]);
	res = db_call(ui->db, a->sql, n, p, cause);
	for (i = 0; i < CASE_ACTION_FIELDS; i++)
		free(tofree[i]);
	return res;
}

/* After a refusal: say why, and put the cursor on the field blamed. */
static void
case_action_refused(struct ui *ui, struct case_ref *c, struct form *f,
    const char *cause)
{
	int	 i;

	if (strcmp(ui->db->err_state, "40001") == 0) {
		/* DETAIL is "name YYYY-MM-DD HH:MI": no words to translate. */
		case_ref_reload(ui, c);
		ui_status(ui, true, _("Changed meanwhile by %s; the case is "
		    "reloaded: F2 applies this to the new version."),
		    ui->db->err_detail);
		return;
	}
	ui_status(ui, true, _("Not done: %s"), _(cause));
	if (f != NULL && ui->db->err_column[0] != '\0' &&
	    (i = form_field_index(f->def, ui->db->err_column)) >= 0)
		form_goto(f, (size_t)i);
}

static bool
case_action_plain(struct ui *ui, const struct case_action *a,
    struct case_ref *c)
{
	PGresult	*res;
	char		*cause = NULL;

	if (!ui_confirm(ui, _(a->label)))
		return false;
	for (;;) {
		if ((res = case_action_call(ui, a, c, NULL, &cause)) != NULL) {
			PQclear(res);
			return true;
		}
		case_action_refused(ui, c, NULL, cause);
		free(cause);
		if (strcmp(ui->db->err_state, "40001") != 0 ||
		    !ui_confirm(ui, _(a->label)))
			return false;
	}
}

/*
 * Take step a on case c.  True when it was done (the caller reloads the
 * case); false when the clerk gave up or it was refused.
 */
bool
case_action_run(struct ui *ui, const struct case_action *a,
    struct case_ref *c)
{
	struct form_def	*def;
	struct form	 f;
	PGresult	*res;
	enum ui_key	 k;
	char		*cause = NULL;
	bool		 done = false;

	if (a->form == NULL)
		return case_action_plain(ui, a, c);
	if ((def = ui_form_load(ui, a->form)) == NULL)
		return false;
	free(def->title);
	def->title = xstrdup(a->label);	/* the step's name, translated */
	form_init(&f, def, ui);
	ui_status(ui, false, _("Case %s: F2 to do it, F3 to leave."), c->no);
	if (strcmp(a->code, "dispatch") == 0 || strcmp(a->code, "transfer") == 0)
		case_action_suggest(ui, c, &f);
	while ((k = form_run(&f)) == UK_SAVE) {
		if ((res = case_action_call(ui, a, c, &f, &cause)) != NULL) {
			if (strcmp(a->code, "sub_dispatch") == 0 &&
			    PQntuples(res) == 1)
				ui_message(ui, _(a->label), PQgetvalue(res, 0, 0));
			PQclear(res);
			done = true;
			break;
		}
		case_action_refused(ui, c, &f, cause);
		free(cause);
		cause = NULL;
	}
	if (k == UK_QUIT)
		ui->quit = true;
	form_free(&f);
	form_def_free(def);
	return done;
}
