/*
 * screen-figures.c — the figures of analysts and supervisors: cases by
 * area (the districts for the city, the towns for a district) and kind,
 * by state, and the KPIs (mediation, success, satisfaction and on-time
 * rates), from the aggregates of sql/030_figures.sql.  Row-level security
 * makes them the figures of the clerk's jurisdiction; no person, name or
 * number is ever read here.  F5 sets the period (forms/figures.conf).
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define FIG_AREA_COLS	18	/* the area's name */
#define FIG_NUM_COLS	8	/* each count */

struct figures {
	char	 since[16], until[16];	/* "" when unbounded */
	char	*title;
};

static const char *const fig_kinds[] = {
	N_("Consult."), N_("Aid"), N_("Serv."), N_("Mediat."), N_("Compl."),
	N_("Sugg."), N_("Total")
};
#define FIG_KINDS	(sizeof fig_kinds / sizeof fig_kinds[0])

static const struct code_name fig_state_names[] = {
	{ "draft", N_("Draft"), 0 },
	{ "registered", N_("Registered"), 0 },
	{ "accepted", N_("Accepted"), 0 },
	{ "rejected", N_("Rejected"), 0 },
	{ "awaiting_signfor", N_("Awaiting sign-for"), 0 },
	{ "in_progress", N_("In progress"), 0 },
	{ "return_review", N_("Return review"), 0 },
	{ "extension_review", N_("Extension review"), 0 },
	{ "reply_review", N_("Reply review"), 0 },
	{ "awaiting_followup", N_("Awaiting follow-up"), 0 },
	{ "closed", N_("Closed"), 0 },
	{ "merged", N_("Merged"), 0 },
	{ NULL, NULL, 0 }
};

/* s right-aligned in cols columns, appended to *line. */
static void
fig_cell(char **line, const char *s, int cols)
{
	char	*t;
	int	 pad = cols - utf8_cols(s);

	xasprintf(&t, "%s%*s%s", *line, pad > 0 ? pad : 0, "", s);
	free(*line);
	*line = t;
}

static void
fig_row(struct pager *pg, attr_t a, const char *area, char **nums)
{
	char	*line = utf8_pad(area, FIG_AREA_COLS);
	size_t	 i;

	for (i = 0; i < FIG_KINDS; i++)
		fig_cell(&line, nums[i], FIG_NUM_COLS);
	pager_add(pg, a, "%s", line);
	free(line);
}

static void
fig_areas(struct pager *pg, PGresult *res)
{
	char		*nums[FIG_KINDS], sums[FIG_KINDS][16];
	long long	 total[FIG_KINDS] = { 0 };
	size_t		 j;
	int		 i;

	for (j = 0; j < FIG_KINDS; j++)
		nums[j] = (char *)_(fig_kinds[j]);
	fig_row(pg, A_BOLD | A_UNDERLINE, _("Area"), nums);
	for (i = 0; i < PQntuples(res); i++) {
		for (j = 0; j < FIG_KINDS; j++) {
			nums[j] = PQgetvalue(res, i, 3 + (int)j);
			total[j] += atoll(nums[j]);
		}
		fig_row(pg, A_NORMAL, strcmp(PQgetvalue(res, i, 2), "t") == 0 ?
		    _("Own unit") : PQgetvalue(res, i, 1), nums);
	}
	for (j = 0; j < FIG_KINDS; j++) {
		snprintf(sums[j], sizeof sums[j], "%lld", total[j]);
		nums[j] = sums[j];
	}
	fig_row(pg, A_BOLD, _("Total"), nums);
}

/* "State n   State n ..." wrapped to the screen. */
static void
fig_states(struct pager *pg, PGresult *res)
{
	char	*line = xstrdup(""), *item, *t;
	int	 i;

	pager_add(pg, A_BOLD | A_UNDERLINE, "%s", _("Cases by state"));
	for (i = 0; i < PQntuples(res); i++) {
		xasprintf(&item, "%s %s", _(code_label(fig_state_names,
		    PQgetvalue(res, i, 0))), PQgetvalue(res, i, 1));
		if (*line != '\0' && utf8_cols(line) + 3 + utf8_cols(item) >
		    COLS - 4) {
			pager_add(pg, A_NORMAL, "%s", line);
			free(line);
			line = xstrdup("");
		}
		xasprintf(&t, "%s%s%s", line, *line != '\0' ? "   " : "", item);
		free(line);
		free(item);
		line = t;
	}
	pager_add(pg, A_NORMAL, "%s", *line != '\0' ? line : _("(no cases)"));
	free(line);
}

/* One KPI: "name      85.0%  (17/20)", or a dash when there is nothing
 * to divide by.  Caller frees. */
static char *
fig_rate(const char *name, PGresult *res, int num, int den, int rate)
{
	char	*s, *label = utf8_pad(name, 36);

	xasprintf(&s, "%s %6s%s  (%s/%s)", label, PQgetisnull(res, 0, rate) ?
	    "-" : PQgetvalue(res, 0, rate), PQgetisnull(res, 0, rate) ? " " :
	    "%", PQgetvalue(res, 0, num), PQgetvalue(res, 0, den));
	free(label);
	return s;
}

static void
fig_kpis(struct pager *pg, PGresult *res)
{
	static const struct { const char *name; int num, den, rate; } kpis[] = {
		{ N_("Mediation (mediated/accepted)"), 1, 0, 2 },
		{ N_("Success (succeeded/mediated)"), 3, 1, 4 },
		{ N_("Satisfied (of followed up)"), 6, 5, 7 },
		{ N_("On time (of closed)"), 9, 8, 10 },
	};
	char	*s;
	size_t	 i;

	pager_add(pg, A_BOLD | A_UNDERLINE, "%s", _("Rates"));
	for (i = 0; i < sizeof kpis / sizeof kpis[0]; i++) {
		s = fig_rate(_(kpis[i].name), res, kpis[i].num, kpis[i].den,
		    kpis[i].rate);
		pager_add(pg, A_NORMAL, "%s", s);
		free(s);
	}
}

/* Read the figures for the period into pg; -1 when refused (said). */
static int
fig_load(struct ui *ui, struct pager *pg, struct figures *fg)
{
	const char	*p[2] = { fg->since, fg->until };
	PGresult	*area = NULL, *state = NULL, *kpi = NULL;
	char		*cause = NULL;
	int		 ret = -1;

	if ((area = db_call(ui->db, "SELECT unit_code, unit_name, own, "
	    "consultation, legal_aid, legal_service, mediation, complaint, "
	    "suggestion, total FROM caseterm.figures_by_area(nullif($1, "
	    "'')::date, nullif($2, '')::date)", 2, p, &cause)) == NULL ||
	    (state = db_call(ui->db, "SELECT state, cases FROM "
	    "caseterm.figures_by_state(nullif($1, '')::date, nullif($2, "
	    "'')::date)", 2, p, &cause)) == NULL ||
	    (kpi = db_call(ui->db, "SELECT accepted, mediated, mediation_rate, "
	    "succeeded, success_rate, followed_up, satisfied, "
	    "satisfaction_rate, closed, on_time, on_time_rate FROM "
	    "caseterm.figures_kpi(nullif($1, '')::date, nullif($2, "
	    "'')::date)", 2, p, &cause)) == NULL) {
		ui_status(ui, true, _("Cannot load the figures: %s"), _(cause));
		free(cause);
		goto out;
	}
	pager_clear(pg);
	free(fg->title);
	if (*fg->since == '\0' && *fg->until == '\0')
		xasprintf(&fg->title, _("Figures: %s, all cases"),
		    ui->user.unit_name);
	else
		xasprintf(&fg->title, _("Figures: %s, registered %s to %s"),
		    ui->user.unit_name, *fg->since != '\0' ? fg->since : "…",
		    *fg->until != '\0' ? fg->until : "…");
	pg->title = fg->title;
	/* No blank rows: the city's table, states and rates fit 24 lines. */
	fig_areas(pg, area);
	fig_states(pg, state);
	fig_kpis(pg, kpi);
	ret = 0;
out:
	PQclear(area);
	PQclear(state);
	PQclear(kpi);
	return ret;
}

/* F5: another period. */
static void
fig_key(struct ui *ui, struct pager *pg, int code)
{
	struct figures	*fg = pg->arg;
	struct form_def	*def;
	struct form	 f;
	const char	*v;
	char		*t1 = NULL, *t2 = NULL;

	if (code != KEY_F(5))
		return;
	if ((def = ui_form_load(ui, "figures")) == NULL)
		return;
	free(def->fields[0].def);
	def->fields[0].def = xstrdup(fg->since);
	free(def->fields[1].def);
	def->fields[1].def = xstrdup(fg->until);
	form_init(&f, def, ui);
	ui_status(ui, false, "%s", _("F2 to count, F3 to leave."));
	switch (form_run(&f)) {
	case UK_SAVE:
		v = form_value(&f, "from", &t1);
		snprintf(fg->since, sizeof fg->since, "%s", v);
		v = form_value(&f, "to", &t2);
		snprintf(fg->until, sizeof fg->until, "%s", v);
		if (fig_load(ui, pg, fg) == 0)
			ui_status(ui, false, "%s", "");
		break;
	case UK_QUIT:
		ui->quit = true;
		break;
	default:
		break;
	}
	free(t1);
	free(t2);
	form_free(&f);
	form_def_free(def);
}

void
screen_figures(struct ui *ui)
{
	struct figures	 fg;
	struct pager	 pg;

	memset(&fg, 0, sizeof fg);
	memset(&pg, 0, sizeof pg);
	pg.keys = _(" ↑↓ PgUp PgDn scroll   F5 period   F3 back   F10 log out");
	pg.key = fig_key;
	pg.arg = &fg;
	if (fig_load(ui, &pg, &fg) == 0) {
		ui_status(ui, false, "%s", "");
		pager_run(ui, &pg);
	}
	pager_clear(&pg);
	free(fg.title);
}
