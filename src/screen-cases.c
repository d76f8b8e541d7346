/*
 * screen-cases.c — the case lists: My cases (registered by me, newest
 * first) and Unit cases (everything my jurisdiction may see; row-level
 * security decides).
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static const struct code_name case_kinds[] = {
	{ "consultation",	N_("Consultation"), 0 },
	{ "legal_aid",		N_("Legal aid"), 0 },
	{ "legal_service",	N_("Legal service"), 0 },
	{ "mediation",		N_("Mediation"), 0 },
	{ "complaint",		N_("Complaint"), 0 },
	{ "suggestion",		N_("Suggestion"), 0 },
	{ NULL, NULL, 0 }
};
static const struct code_name case_states[] = {
	{ "draft",		N_("Draft"), 0 },
	{ "registered",		N_("Registered"), 0 },
	{ "accepted",		N_("Accepted"), 0 },
	{ "rejected",		N_("Rejected"), 0 },
	{ "awaiting_signfor",	N_("Awaiting sign-for"), 0 },
	{ "in_progress",	N_("In progress"), 0 },
	{ "return_review",	N_("Return review"), 0 },
	{ "extension_review",	N_("Extension review"), 0 },
	{ "reply_review",	N_("Reply review"), 0 },
	{ "awaiting_followup",	N_("Awaiting follow-up"), 0 },
	{ "closed",		N_("Closed"), 0 },
	{ "merged",		N_("Merged"), 0 },
	{ NULL, NULL, 0 }
};

const char *
case_kind_label(const char *code)
{
	return _(code_label(case_kinds, code));
}

const char *
case_state_label(const char *code)
{
	return _(code_label(case_states, code));
}

/* Columns 2 and 3 of a case row are kind and state codes: show labels. */
void
list_translate_case_codes(struct list_view *lv)
{
	size_t	 i;
	char	*t;

	for (i = 0; i < lv->nrows; i++) {
		t = xstrdup(case_kind_label(lv->rows[i][2]));
		free(lv->rows[i][2]);
		lv->rows[i][2] = t;
		t = xstrdup(case_state_label(lv->rows[i][3]));
		free(lv->rows[i][3]);
		lv->rows[i][3] = t;
	}
}

void
screen_my_cases(struct ui *ui)
{
	static const struct list_col cols[] = {
		{ N_("Case no."), 11 }, { N_("Registered"), 16 },
		{ N_("Kind"), 10 }, { N_("State"), 10 },
		{ N_("Applicant"), 10 }, { N_("Subject"), 0 },
	};

	case_list_run(ui, _("My cases"), cols, sizeof cols / sizeof cols[0],
	    false, "SELECT case_no, to_char(created_at AT "
	    "TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), kind, state, "
	    "applicant_name, subject, case_id FROM caseterm.my_cases(500)", 0,
	    NULL);
}

void
screen_unit_cases(struct ui *ui)
{
	static const struct list_col cols[] = {
		{ N_("Case no."), 11 }, { N_("Registered"), 16 },
		{ N_("Kind"), 10 }, { N_("State"), 10 },
		{ N_("Unit"), 14 }, { N_("Applicant"), 0 },
	};

	case_list_run(ui, _("Unit cases"), cols, sizeof cols / sizeof cols[0],
	    false, "SELECT case_no, to_char(created_at AT "
	    "TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), kind, state, "
	    "unit_name, applicant_name, case_id FROM caseterm.unit_cases(500)",
	    0, NULL);
}
