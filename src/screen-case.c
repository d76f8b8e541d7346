/*
 * screen-case.c — one case: the header (number, kind, state, unit, handler,
 * the deadline in its warning colour), the applicant and parties (masked),
 * the subject, a pending request, and the timeline of events.  F5 offers
 * the steps this clerk may take now (allowed_actions()); F6 prints the
 * applicant's receipt on the terminal's printer and shows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define CASE_TOP	2

/* The columns of case_detail() this screen reads, by position. */
enum {
	D_NO, D_KIND, D_STATE, D_CHANNEL, D_URGENT, D_SUPERVISED, D_SUBJECT,
	D_ANSWER, D_APPLICANT, D_UNIT, D_HANDLER, D_DUE, D_WARNING, D_VERSION,
	D_REQUEST, D_REQUEST_REASON, D_CREATED, D_INTAKE_UNIT
};
#define CASE_DETAIL_SQL "SELECT case_no, kind, state, channel, urgent, " \
	"supervised, subject, coalesce(answer, ''), coalesce(applicant_name, " \
	"''), unit_name, coalesce(handler_name, ''), coalesce(to_char(due_at " \
	"AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), ''), warning, version, " \
	"coalesce(request_kind, ''), coalesce(request_reason, ''), " \
	"to_char(created_at AT TIME ZONE 'Asia/Shanghai', " \
	"'YYYY-MM-DD HH24:MI'), coalesce(intake_unit_name, '') " \
	"FROM caseterm.case_detail($1)"

struct case_view {
	struct case_ref	 ref;
	PGresult	*detail;
	PGresult	*parties;
	PGresult	*timeline;
	PGresult	*facts;
	int		 scroll;	/* first history row shown; -1: the end */
};

static const struct code_name event_kinds[] = {
	{ "register", N_("registered"), 0 },
	{ "review_accept", N_("accepted"), 0 },
	{ "review_reject", N_("rejected"), 0 },
	{ "answer", N_("answered on the spot"), 0 },
	{ "dispatch", N_("dispatched"), 0 },
	{ "sign", N_("signed for"), 0 },
	{ "return", N_("returned"), 0 },
	{ "approve_return", N_("return approved"), 0 },
	{ "refuse_return", N_("return refused"), 0 },
	{ "transfer", N_("transferred"), 0 },
	{ "request_extension", N_("extension requested"), 0 },
	{ "approve_extension", N_("extension approved"), 0 },
	{ "refuse_extension", N_("extension refused"), 0 },
	{ "sub_dispatch", N_("sub-dispatched"), 0 },
	{ "assign", N_("handler assigned"), 0 },
	{ "reply", N_("replied"), 0 },
	{ "approve_reply", N_("reply approved"), 0 },
	{ "refuse_reply", N_("reply refused"), 0 },
	{ "followup", N_("followed up"), 0 },
	{ "close", N_("closed"), 0 },
	{ "reopen", N_("reopened"), 0 },
	{ "note", N_("note"), 0 },
	{ "urge", N_("urged"), 0 },
	{ "supervise", N_("put under supervision"), 0 },
	{ "unsupervise", N_("supervision ended"), 0 },
	{ "merge", N_("merged"), 0 },
	{ "link", N_("linked"), 0 },
	{ "add_party", N_("party added"), 0 },
	{ NULL, NULL, 0 }
};
static const struct code_name party_roles[] = {
	{ "applicant", N_("Applicant"), 0 },
	{ "respondent", N_("Respondent"), 0 },
	{ "other", N_("Other party"), 0 },
	{ NULL, NULL, 0 }
};

static const char *
dv(const struct case_view *cv, int col)
{
	return PQgetvalue(cv->detail, 0, col);
}

/* Fetch the case again: the screen and the version steps apply to. */
static int
case_load(struct ui *ui, struct case_view *cv, char **cause)
{
	const char	*p[1] = { cv->ref.id };
	PGresult	*d, *pa, *tl, *fa;

	if ((d = db_call(ui->db, CASE_DETAIL_SQL, 1, p, cause)) == NULL)
		return -1;
	if (PQntuples(d) != 1) {
		PQclear(d);
		*cause = xstrdup(N_("no such case"));
		return -1;
	}
	pa = db_call(ui->db, "SELECT role, name, coalesce(phone_masked, ''), "
	    "coalesce(id_number_masked, '') FROM caseterm.case_parties($1)",
	    1, p, cause);
	tl = db_call(ui->db, "SELECT to_char(at AT TIME ZONE 'Asia/Shanghai', "
	    "'MM-DD HH24:MI'), kind, coalesce(user_name, ''), "
	    "coalesce(unit_name, ''), coalesce(reason, '') "
	    "FROM caseterm.case_timeline($1) ORDER BY at, event_id", 1, p,
	    cause);
	fa = pa != NULL && tl != NULL ? case_facts_load(ui, p[0], cause) :
	    NULL;
	if (fa == NULL) {
		PQclear(d);
		PQclear(pa);
		PQclear(tl);
		return -1;
	}
	PQclear(cv->detail);
	PQclear(cv->parties);
	PQclear(cv->timeline);
	PQclear(cv->facts);
	cv->detail = d;
	cv->facts = fa;
	cv->parties = pa;
	cv->timeline = tl;
	snprintf(cv->ref.version, sizeof cv->ref.version, "%s", dv(cv,
	    D_VERSION));
	snprintf(cv->ref.no, sizeof cv->ref.no, "%s", dv(cv, D_NO));
	return 0;
}

void
case_ref_reload(struct ui *ui, struct case_ref *ref)
{
	const char	*p[1] = { ref->id };
	PGresult	*res;
	char		*cause = NULL;

	res = db_call(ui->db, "SELECT version FROM caseterm.case_detail($1)",
	    1, p, &cause);
	if (res != NULL && PQntuples(res) == 1)
		snprintf(ref->version, sizeof ref->version, "%s",
		    PQgetvalue(res, 0, 0));
	PQclear(res);
	free(cause);
}

static attr_t
case_warning_attr(const char *warning)
{
	if (strcmp(warning, "overdue") == 0)
		return has_colors() ? COLOR_PAIR(2) | A_BOLD : A_BOLD | A_REVERSE;
	if (strcmp(warning, "due_soon") == 0)
		return has_colors() ? COLOR_PAIR(5) | A_BOLD : A_BOLD;
	return A_NORMAL;
}

const char *
case_warning_label(const char *warning)
{
	if (strcmp(warning, "overdue") == 0)
		return _("overdue");
	if (strcmp(warning, "due_soon") == 0)
		return _("due soon");
	if (strcmp(warning, "paused") == 0)
		return _("paused");
	return "";
}

static void
case_draw_header(struct case_view *cv)
{
	char	*s;
	int	 x;

	xasprintf(&s, "%s  %s  %s%s%s", dv(cv, D_NO), case_kind_label(dv(cv,
	    D_KIND)), case_state_label(dv(cv, D_STATE)),
	    strcmp(dv(cv, D_URGENT), "t") == 0 ? _("  [urgent]") : "",
	    strcmp(dv(cv, D_SUPERVISED), "t") == 0 ? _("  [supervised]") : "");
	ui_put(CASE_TOP, 2, COLS - 4, s, A_BOLD);
	free(s);
	xasprintf(&s, _("Unit: %s   Handler: %s"), dv(cv, D_UNIT),
	    *dv(cv, D_HANDLER) != '\0' ? dv(cv, D_HANDLER) : _("(none)"));
	ui_put(CASE_TOP + 1, 2, COLS - 4, s, A_NORMAL);
	free(s);
	xasprintf(&s, _("Applicant: %s   Registered: %s   Deadline: "),
	    dv(cv, D_APPLICANT), dv(cv, D_CREATED));
	ui_put(CASE_TOP + 2, 2, COLS - 4, s, A_NORMAL);
	x = 2 + utf8_cols(s);
	free(s);
	xasprintf(&s, "%s %s", *dv(cv, D_DUE) != '\0' ? dv(cv, D_DUE) : "-",
	    case_warning_label(dv(cv, D_WARNING)));
	ui_put(CASE_TOP + 2, x, COLS - 2 - x, s,
	    case_warning_attr(dv(cv, D_WARNING)));
	free(s);
}

static void
case_draw_body(struct case_view *cv, int *row)
{
	char	*s, *t;
	int	 i;

	xasprintf(&s, _("Subject: %s"), dv(cv, D_SUBJECT));
	for (t = s; *t != '\0'; t++)
		if (*t == '\n')
			*t = ' ';
	ui_put((*row)++, 2, COLS - 4, s, A_NORMAL);
	free(s);
	if (*dv(cv, D_ANSWER) != '\0') {
		xasprintf(&s, _("Answer: %s"), dv(cv, D_ANSWER));
		for (t = s; *t != '\0'; t++)
			if (*t == '\n')
				*t = ' ';
		ui_put((*row)++, 2, COLS - 4, s, A_NORMAL);
		free(s);
	}
	case_facts_draw(cv->facts, row);
	for (i = 0; i < PQntuples(cv->parties) && i < 3; i++) {
		xasprintf(&s, "%s: %s %s %s", _(code_label(party_roles,
		    PQgetvalue(cv->parties, i, 0))), PQgetvalue(cv->parties, i, 1),
		    PQgetvalue(cv->parties, i, 2), PQgetvalue(cv->parties, i, 3));
		ui_put((*row)++, 2, COLS - 4, s, A_NORMAL);
		free(s);
	}
	if (*dv(cv, D_REQUEST) != '\0') {
		xasprintf(&s, _("Waiting for a decision: %s — %s"),
		    _(code_label(event_kinds, dv(cv, D_REQUEST))),
		    dv(cv, D_REQUEST_REASON));
		ui_put((*row)++, 2, COLS - 4, s, A_BOLD);
		free(s);
	}
}

static void
case_draw(struct ui *ui, struct case_view *cv)
{
	int	 row, i, n;
	char	*s;

	if (ui_too_small(ui))
		return;
	ui_frame(ui, "", _(" F5 act  F6 receipt  F7 in full  ↑↓ Home End "
	    "history  F3 back  F10 log out"));
	case_draw_header(cv);
	row = CASE_TOP + 4;
	case_draw_body(cv, &row);
	ui_put(++row, 2, COLS - 4, _("History"), A_BOLD | A_UNDERLINE);
	row++;
	n = PQntuples(cv->timeline);
	/* The newest events by default: what happened last matters most. */
	if (cv->scroll < 0 || cv->scroll > n - 1)
		cv->scroll = n - (LINES - 2 - row) > 0 ? n - (LINES - 2 - row) : 0;
	for (i = cv->scroll; i < n && row < LINES - 2; i++, row++) {
		xasprintf(&s, "%s  %-8s %s (%s)  %s",
		    PQgetvalue(cv->timeline, i, 0),
		    _(code_label(event_kinds, PQgetvalue(cv->timeline, i, 1))),
		    PQgetvalue(cv->timeline, i, 2),
		    PQgetvalue(cv->timeline, i, 3),
		    PQgetvalue(cv->timeline, i, 4));
		ui_put(row, 2, COLS - 4, s, A_NORMAL);
		free(s);
	}
	move(CASE_TOP, 2);
	refresh();
}

/* F5: the steps allowed now, as a list; the chosen one is taken. */
static bool
case_act(struct ui *ui, struct case_view *cv)
{
	const char		*p[1] = { cv->ref.id };
	const struct case_action *acts[32];
	const char		*labels[32];
	PGresult		*res;
	char			*cause = NULL;
	size_t			 n = 0;
	int			 i, pick;

	res = db_call(ui->db, "SELECT action FROM caseterm.allowed_actions($1)",
	    1, p, &cause);
	if (res == NULL) {
		ui_status(ui, true, "%s", _(cause));
		free(cause);
		return false;
	}
	for (i = 0; i < PQntuples(res) && n < 32; i++) {
		acts[n] = case_action_find(PQgetvalue(res, i, 0));
		if (acts[n] != NULL)
			labels[n] = acts[n]->label, n++;
	}
	PQclear(res);
	if (n == 0) {
		ui_status(ui, false, "%s", _("Nothing you may do on this case "
		    "now."));
		return false;
	}
	if ((pick = ui_choose(ui, _("What to do"), labels, n)) < 0)
		return false;
	if (!case_action_run(ui, acts[pick], &cv->ref))
		return false;
	ui_status(ui, false, _("Done: %s."), _(acts[pick]->label));
	return true;
}

void
screen_case(struct ui *ui, long long id)
{
	struct case_view	 cv;
	wint_t			 wc;
	int			 code;
	char			*cause = NULL;

	memset(&cv, 0, sizeof cv);
	cv.scroll = -1;
	snprintf(cv.ref.id, sizeof cv.ref.id, "%lld", id);
	if (case_load(ui, &cv, &cause) != 0) {
		ui_status(ui, true, _("Cannot open the case: %s"), _(cause));
		free(cause);
		return;
	}
	while (!ui->quit) {
		case_draw(ui, &cv);
		switch (ui_key(ui, &wc, &code)) {
		case UK_UP:
			if (cv.scroll > 0)
				cv.scroll--;
			break;
		case UK_DOWN:
			cv.scroll++;
			break;
		case UK_HOME:
			cv.scroll = 0;
			break;
		case UK_END:
			cv.scroll = -1;
			break;
		case UK_ENTER:
		case UK_OTHER:
			if (code == KEY_F(6)) {
				case_receipt(ui, &cv.ref);
				break;
			}
			if (code == KEY_F(7)) {
				case_reveal(ui, cv.ref.id);
				break;
			}
			if (code != KEY_F(5) && code != 0 && code != KEY_ENTER)
				break;
			if (!case_act(ui, &cv))
				break;
			cv.scroll = -1;
			if (case_load(ui, &cv, &cause) != 0) {
				ui_status(ui, true, "%s", _(cause));
				free(cause);
				cause = NULL;
			}
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
	PQclear(cv.detail);
	PQclear(cv.facts);
	PQclear(cv.parties);
	PQclear(cv.timeline);
}
