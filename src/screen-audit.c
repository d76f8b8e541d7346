/*
 * screen-audit.c — the audit viewer of supervisors and administrators:
 * what to look for (forms/audit.conf: user, case, person, unit, days,
 * action; a person by ID number or mobile, found by person_find(), which
 * records the lookup), the
 * rows audit_search() finds, newest first (time, user, action, object,
 * where from), and Enter for one row in full: who, when, from which
 * address and session, and what changed, before and after.  The database
 * shows each only the rows of their jurisdiction, and nobody can change a
 * row (020_audit.sql).
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* The columns of AUDIT_SQL after the shown ones, by position. */
enum {
	A_TIME, A_LOGIN, A_ACTION, A_OBJECT, A_SOURCE,		/* shown */
	A_AT, A_NAME, A_UNIT, A_SESSION, A_SEQ, A_RAW_OBJECT, A_DETAIL,
	A_FIELD, A_CASE_NO, A_CODE
};
#define AUDIT_SQL "SELECT to_char(a.at AT TIME ZONE 'Asia/Shanghai', " \
	"'MM-DD HH24:MI:SS'), coalesce(a.login, ''), a.action, CASE " \
	"WHEN a.object LIKE 'legal_case:%' THEN coalesce(a.detail ->> " \
	"'case_no', a.object) WHEN a.object LIKE 'app_user:%' THEN " \
	"coalesce(a.detail #>> '{ident,login}', a.detail ->> 'login', " \
	"a.object) WHEN a.object LIKE 'org_unit:%' THEN coalesce(a.detail " \
	"#>> '{ident,code}', a.object) ELSE coalesce(a.object, '') END, " \
	"a.source, to_char(a.at AT TIME ZONE 'Asia/Shanghai', " \
	"'YYYY-MM-DD HH24:MI:SS.MS'), coalesce(a.display_name, ''), " \
	"coalesce(a.unit_code, ''), coalesce(a.session_id::text, ''), " \
	"a.seq, coalesce(a.object, ''), jsonb_pretty(a.detail), " \
	"coalesce(a.detail ->> 'field', ''), coalesce((SELECT c.case_no " \
	"FROM caseterm.legal_case c WHERE a.detail ->> 'case_id' ~ " \
	"'^[0-9]{1,18}$' AND c.id = (a.detail ->> 'case_id')::bigint), ''), " \
	"a.action FROM (SELECT NULL::bigint AS id WHERE nullif($7, '') IS " \
	"NULL UNION ALL SELECT f.person_id FROM caseterm.person_find(" \
	"nullif($7, '')) f) pf CROSS JOIN LATERAL caseterm.audit_search(" \
	"nullif($1, ''), coalesce(caseterm.case_no_normalize($2), " \
	"nullif($2, '')), pf.id, nullif($3, ''), nullif($4, '')::date::" \
	"timestamp AT TIME ZONE 'Asia/Shanghai', (nullif($5, '')::date + 1)" \
	"::timestamp AT TIME ZONE 'Asia/Shanghai', nullif($6, ''), 1000) a " \
	"ORDER BY a.at DESC, a.seq DESC LIMIT 1000"

#define AUDIT_NPARAMS	7	/* $1..$7: the fields of screen_audit's names */

static const struct code_name audit_actions[] = {
	{ "login", N_("Logged in"), 0 },
	{ "login_failed", N_("Failed login"), 0 },
	{ "logout", N_("Logged out"), 0 },
	{ "session_start", N_("Session started"), 0 },
	{ "session_terminate", N_("Session ended by an administrator"), 0 },
	{ "session_kill", N_("Session ended by the operator"), 0 },
	{ "auth_unlock", N_("Lockout lifted"), 0 },
	{ "person_reveal", N_("Personal data opened in full"), 0 },
	{ "person_view", N_("Person looked up"), 0 },
	{ "intake_check", N_("Conflict check"), 0 },
	{ "case_register", N_("Case registered"), 0 },
	{ "user_create", N_("User created"), 0 },
	{ "user_disable", N_("User disabled"), 0 },
	{ "user_enable", N_("User enabled"), 0 },
	{ "user_password", N_("Password set"), 0 },
	{ "user_roles", N_("Roles changed"), 0 },
	{ "user_move", N_("User moved"), 0 },
	{ "user_locale", N_("Language changed"), 0 },
	{ "user_rename", N_("User renamed"), 0 },
	{ "user_key_add", N_("SSH key added"), 0 },
	{ "user_key_remove", N_("SSH key removed"), 0 },
	{ "unit_add", N_("Unit added"), 0 },
	{ "unit_rename", N_("Unit renamed"), 0 },
	{ "unit_move", N_("Unit moved"), 0 },
	{ "unit_disable", N_("Unit disabled"), 0 },
	{ "unit_enable", N_("Unit enabled"), 0 },
	{ "unit_import", N_("Unit imported"), 0 },
	{ "code_save", N_("Code table changed"), 0 },
	{ "code_disable", N_("Code table changed"), 0 },
	{ "code_enable", N_("Code table changed"), 0 },
	{ "calendar_import", N_("Calendar imported"), 0 },
	{ "deadline_rule_set", N_("Deadline rule set"), 0 },
	{ "kb_save", N_("Knowledge base changed"), 0 },
	{ "zero_report", N_("Zero report filed"), 0 },
	/* case_<step>: the case screen's words for its history */
	{ "case_review_accept", N_("accepted"), 0 },
	{ "case_review_reject", N_("rejected"), 0 },
	{ "case_answer", N_("answered on the spot"), 0 },
	{ "case_dispatch", N_("dispatched"), 0 },
	{ "case_sign", N_("signed for"), 0 },
	{ "case_return", N_("returned"), 0 },
	{ "case_approve_return", N_("return approved"), 0 },
	{ "case_refuse_return", N_("return refused"), 0 },
	{ "case_transfer", N_("transferred"), 0 },
	{ "case_request_extension", N_("extension requested"), 0 },
	{ "case_approve_extension", N_("extension approved"), 0 },
	{ "case_refuse_extension", N_("extension refused"), 0 },
	{ "case_sub_dispatch", N_("sub-dispatched"), 0 },
	{ "case_assign", N_("handler assigned"), 0 },
	{ "case_reply", N_("replied"), 0 },
	{ "case_approve_reply", N_("reply approved"), 0 },
	{ "case_refuse_reply", N_("reply refused"), 0 },
	{ "case_followup", N_("followed up"), 0 },
	{ "case_close", N_("closed"), 0 },
	{ "case_reopen", N_("reopened"), 0 },
	{ "case_note", N_("note"), 0 },
	{ "case_urge", N_("urged"), 0 },
	{ "case_supervise", N_("put under supervision"), 0 },
	{ "case_unsupervise", N_("supervision ended"), 0 },
	{ "case_merge", N_("merged"), 0 },
	{ "case_link", N_("linked"), 0 },
	{ "case_add_party", N_("party added"), 0 },
	{ NULL, NULL, 0 }
};

static const struct code_name person_fields[] = {
	{ "id_number", N_("ID number"), 0 },
	{ "phone", N_("Mobile"), 0 },
	{ NULL, NULL, 0 }
};

static const char *
audit_action_label(const char *code)
{
	const char	*l = code_label(audit_actions, code);

	return l == code ? code : _(l);
}

/* Enter: one row in full. */
static void
audit_open(struct ui *ui, struct list_view *lv, size_t i)
{
	char		**r = lv->rows[i];
	struct pager	 pg;

	memset(&pg, 0, sizeof pg);
	pg.title = _("Audit record");
	pager_add(&pg, A_NORMAL, _("Time:    %s"), r[A_AT]);
	if (*r[A_LOGIN] != '\0')
		pager_add(&pg, A_NORMAL, _("User:    %s %s (%s)"), r[A_LOGIN],
		    r[A_NAME], r[A_UNIT]);
	else
		pager_add(&pg, A_NORMAL, "%s", _("User:    (none: the system "
		    "or the operator)"));
	pager_add(&pg, A_NORMAL, _("From:    %s   Session: %s"), r[A_SOURCE],
	    *r[A_SESSION] != '\0' ? r[A_SESSION] : "-");
	pager_add(&pg, A_BOLD, _("Action:  %s (%s)"), r[A_ACTION], r[A_CODE]);
	pager_add(&pg, A_NORMAL, _("Object:  %s"), *r[A_RAW_OBJECT] != '\0' ?
	    r[A_RAW_OBJECT] : "-");
	if (*r[A_FIELD] != '\0')
		pager_add(&pg, A_NORMAL, _("Field:   %s"),
		    _(code_label(person_fields, r[A_FIELD])));
	if (*r[A_CASE_NO] != '\0')
		pager_add(&pg, A_NORMAL, _("Case:    %s"), r[A_CASE_NO]);
	pager_add(&pg, A_NORMAL, _("Chain:   row %s"), r[A_SEQ]);
	pager_add(&pg, A_NORMAL, "%s", "");
	pager_add(&pg, A_BOLD | A_UNDERLINE, "%s", _("Detail (before and "
	    "after a change)"));
	pager_add(&pg, A_NORMAL, "%s", r[A_DETAIL]);
	pager_run(ui, &pg);
	pager_clear(&pg);
}

/* The rows for what the form asks; -1 when refused (said). */
static int
audit_fill(struct ui *ui, struct list_view *lv, const char *const *p)
{
	PGresult	*res;
	char		*cause = NULL, *t;
	size_t		 i;

	res = db_call(ui->db, AUDIT_SQL, AUDIT_NPARAMS, p, &cause);
	if (res == NULL) {
		ui_status(ui, true, _("Cannot load the list: %s"), _(cause));
		free(cause);
		return -1;
	}
	list_free(lv);
	list_load(lv, res);
	PQclear(res);
	for (i = 0; i < lv->nrows; i++) {
		if (*lv->rows[i][A_FIELD] != '\0') {
			/* person_reveal: which number, from which case */
			xasprintf(&t, "%s %s", _(code_label(person_fields,
			    lv->rows[i][A_FIELD])), lv->rows[i][A_CASE_NO]);
			free(lv->rows[i][A_OBJECT]);
			lv->rows[i][A_OBJECT] = t;
		}
		/* the label shows; the code stays in A_CODE */
		t = xstrdup(audit_action_label(lv->rows[i][A_ACTION]));
		free(lv->rows[i][A_ACTION]);
		lv->rows[i][A_ACTION] = t;
	}
	return 0;
}

static void
audit_results(struct ui *ui, const char *const *p)
{
	static const struct list_col cols[] = {
		{ N_("Time"), 14 }, { N_("User"), 12 }, { N_("Action"), 16 },
		{ N_("Object"), 20 }, { N_("Source"), 0 },
	};
	struct list_view	 lv;

	memset(&lv, 0, sizeof lv);
	lv.title = _("Audit log");
	lv.cols = cols;
	lv.ncols = sizeof cols / sizeof cols[0];
	lv.open = audit_open;
	if (audit_fill(ui, &lv, p) != 0)
		return;
	ui_status(ui, false, "%s", "");
	list_run(ui, &lv);
	list_free(&lv);
}

void
screen_audit(struct ui *ui)
{
	static const char *const names[] = { "login", "case_no", "unit",
	    "from", "to", "action", "person" };
	struct form_def	*def;
	struct form	 f;
	const char	*p[AUDIT_NPARAMS];
	char		*tofree[AUDIT_NPARAMS];
	enum ui_key	 k;
	size_t		 i;

	if ((def = ui_form_load(ui, "audit")) == NULL)
		return;
	form_init(&f, def, ui);
	ui_status(ui, false, "%s", _("Fill in any field (or none), then F2 "
	    "to search."));
	while ((k = form_run(&f)) == UK_SAVE) {
		for (i = 0; i < AUDIT_NPARAMS; i++)
			p[i] = form_value(&f, names[i], &tofree[i]);
		audit_results(ui, p);
		for (i = 0; i < AUDIT_NPARAMS; i++)
			free(tofree[i]);
		if (ui->quit)
			break;
	}
	if (k == UK_QUIT)
		ui->quit = true;
	form_free(&f);
	form_def_free(def);
}
