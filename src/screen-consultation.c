/*
 * screen-consultation.c — New consultation: a legal consultation taken on
 * the hotline or at the counter (forms/consultation.conf).  F2 registers it
 * through register_consultation(), which deletes the form's draft in the
 * same statement, and shows the case number; a refusal from the database
 * is shown on the status line and the form keeps every value.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static PGresult *
consultation_save(struct ui *ui, struct form *f, char **cause)
{
	static const char *const names[] = { "applicant_name", "phone",
	    "id_number", "question", "answer", "channel" };
	const char	*p[6];
	char		*tofree[6];
	PGresult	*res;
	size_t		 i;

	for (i = 0; i < 6; i++)
		p[i] = form_value(f, names[i], &tofree[i]);
	res = db_call(ui->db, "SELECT r.case_id, r.case_no, "
	    "caseterm.draft_delete('consultation') FROM "
	    "caseterm.register_consultation($1, $2, $3, $4, $5, $6) r", 6, p,
	    cause);
	for (i = 0; i < 6; i++)
		free(tofree[i]);
	return res;
}

void
screen_consultation(struct ui *ui)
{
	struct form_def	*def;
	struct form	 f;
	PGresult	*res;
	enum ui_key	 k;
	char		*path, *cause, *msg;

	xasprintf(&path, "%s/consultation.conf", ui->cfg->forms_dir);
	def = form_load(path, &cause);
	free(path);
	if (def == NULL) {
		ui_status(ui, true, "%s", cause);
		free(cause);
		return;
	}
	form_init(&f, def, ui);
	if (!form_draft_resume(&f))
		ui_status(ui, false, "%s", _("Fields marked * are required."));
	while ((k = form_run(&f)) == UK_SAVE) {
		if ((res = consultation_save(ui, &f, &cause)) == NULL) {
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
