/*
 * screen-mediation.c — New mediation case: a dispute taken in for people's
 * mediation (forms/mediation.conf): the applicant, the respondent and
 * another party, the dispute (category, when it began, place, people,
 * amount), and how and when it came in, urgent and why.  F2 registers
 * it through register_mediation() (035_mediation_details.sql), which
 * deletes the form's draft in the same statement.  A database
 * without that function yet gets the form checked and kept as a draft.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define MEDIATION_FN \
	"caseterm.register_mediation(jsonb,text,text,text,bigint,integer," \
	"numeric,boolean,jsonb)"

static const char *const mediation_fields[] = {
	"app_name", "app_id_number", "app_phone", "app_groups",
	"resp_name", "resp_id_number", "resp_phone",
	"other_name", "other_phone",
	"description", "channel", "category", "place", "people_involved",
	"amount", "urgent", "happened_on", "received_at", "urgent_reason",
};
#define MEDIATION_N (sizeof mediation_fields / sizeof mediation_fields[0])

static bool
mediation_can_register(struct ui *ui)
{
	const char	*p[1] = { MEDIATION_FN };
	PGresult	*res;
	char		*cause = NULL;
	bool		 ok;

	res = db_call(ui->db, "SELECT to_regprocedure($1) IS NOT NULL", 1, p,
	    &cause);
	free(cause);
	ok = res != NULL && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return ok;
}

/* The parties as register_mediation wants them: an array of objects with
 * a role; an empty name leaves a party out. */
static PGresult *
mediation_save(struct ui *ui, struct form *f, char **cause)
{
	const char	*p[MEDIATION_N];
	char		*tofree[MEDIATION_N];
	PGresult	*res;
	size_t		 i;

	for (i = 0; i < MEDIATION_N; i++)
		p[i] = form_value(f, mediation_fields[i], &tofree[i]);
	res = db_call(ui->db, "SELECT r.case_id, r.case_no, "
	    "caseterm.draft_delete('mediation') FROM caseterm.register_mediation("
	    "jsonb_build_array(jsonb_build_object('role', 'applicant', "
	    "'name', $1::text, 'id_number', $2::text, 'phone', $3::text))"
	    " || CASE WHEN $5::text <> '' THEN jsonb_build_array("
	    "jsonb_build_object('role', 'respondent', 'name', $5::text, "
	    "'id_number', $6::text, 'phone', $7::text)) ELSE '[]' END"
	    " || CASE WHEN $8::text <> '' THEN jsonb_build_array("
	    "jsonb_build_object('role', 'other', 'name', $8::text, "
	    "'phone', $9::text)) ELSE '[]' END,"
	    " $10, $11, $12,"
	    " (SELECT id FROM caseterm.org_unit WHERE code = nullif($13, '')),"
	    " nullif($14, '')::int, nullif($15, '')::numeric,"
	    " $16::text = 'yes', jsonb_strip_nulls(jsonb_build_object("
	    "'groups', to_jsonb(string_to_array(nullif($4::text, ''), ',')), "
	    "'began_on', nullif($17::text, ''), "
	    "'received_at', nullif($18::text, '')::timestamp AT TIME ZONE "
	    "'Asia/Shanghai', "
	    "'urgent_reason', CASE WHEN $16::text = 'yes' THEN "
	    "nullif($19::text, '') END))) r", (int)MEDIATION_N, p, cause);
	for (i = 0; i < MEDIATION_N; i++)
		free(tofree[i]);
	return res;
}

/* A fresh form for grid screening: found by the grid, at the clerk's own
 * unit (their village or grid) unless they say otherwise. */
static void
mediation_preset(struct form *f, const char *channel)
{
	int	 i;

	if ((i = form_field_index(f->def, "channel")) >= 0)
		edit_set(&f->values[i], channel);
	if ((i = form_field_index(f->def, "place")) >= 0 &&
	    f->ui->user.unit_code != NULL)
		edit_set(&f->values[i], f->ui->user.unit_code);
}

/* New mediation case; channel: a fresh form's channel (NULL: the form's
 * default), for the grid screening item. */
void
screen_mediation(struct ui *ui, const char *channel)
{
	struct form_def	*def;
	struct form	 f;
	PGresult	*res;
	enum ui_key	 k;
	char		*cause, *msg;

	if ((def = ui_form_load(ui, "mediation")) == NULL)
		return;
	form_init(&f, def, ui);
	if (!form_draft_resume(&f)) {
		if (channel != NULL)
			mediation_preset(&f, channel);
		ui_status(ui, false, "%s", _("Fields marked * are required."));
	}
	while ((k = form_run(&f)) == UK_SAVE) {
		if (!mediation_can_register(ui)) {
			form_draft_save(&f);
			ui_message(ui, _("Kept as a draft"), _("Mediation cases "
			    "cannot be registered yet: the form is kept as a "
			    "draft."));
			break;
		}
		if ((res = mediation_save(ui, &f, &cause)) == NULL) {
			ui_status(ui, true, _("Not saved: %s"), _(cause));
			free(cause);
			continue;
		}
		xasprintf(&msg, _("Registered as case %s."),
		    PQgetvalue(res, 0, 1));
		ui_status(ui, false, "%s", msg);
		ui_message(ui, _("Saved"), msg);
		free(msg);
		PQclear(res);
		break;
	}
	if (k == UK_QUIT)
		ui->quit = true;
	form_free(&f);
	form_def_free(def);
}
