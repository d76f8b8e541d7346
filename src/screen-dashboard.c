/*
 * screen-dashboard.c — the command dashboard of supervisors and analysts
 * at the city and the districts: the open cases of the jurisdiction as
 * they stand now, by area (sql/037_dashboard.sql): open, new today,
 * awaiting sign-for, being handled, waiting for a decision, due soon,
 * overdue, urgent and supervised, with the totals.  It refreshes itself
 * every DASH_REFRESH seconds while it is on screen (F5: now); an area
 * with overdue cases stands out.  Counts only: no person is read.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui.h"

#define DASH_REFRESH	10	/* seconds */
#define DASH_AREA_COLS	16
#define DASH_NUM_COLS	6
#define DASH_TOP	4

static const char *const dash_heads[] = {
	N_("Open"), N_("Today"), N_("Sign"), N_("Doing"), N_("Review"),
	N_("Soon"), N_("Late"), N_("Urgent"), N_("Superv")
};
#define DASH_N		(sizeof dash_heads / sizeof dash_heads[0])
#define DASH_LATE	6	/* the column of dash_heads that is overdue */

struct dash {
	PGresult	*res;
	time_t		 loaded;
	char		 at[16];	/* HH:MM:SS of the figures, Beijing */
};

static int
dash_load(struct ui *ui, struct dash *d)
{
	PGresult	*res;
	char		*cause = NULL;

	res = db_call(ui->db, "SELECT unit_name, own, open, new_today, "
	    "signfor, handling, review, due_soon, overdue, urgent, supervised, "
	    "to_char(now() AT TIME ZONE 'Asia/Shanghai', 'HH24:MI:SS') "
	    "FROM caseterm.dashboard()", 0, NULL, &cause);
	d->loaded = time(NULL);
	if (res == NULL) {
		ui_status(ui, true, _("Cannot load the dashboard: %s"),
		    _(cause));
		free(cause);
		return -1;
	}
	PQclear(d->res);
	d->res = res;
	snprintf(d->at, sizeof d->at, "%s", PQntuples(res) > 0 ?
	    PQgetvalue(res, 0, 2 + (int)DASH_N) : "");
	return 0;
}

/* The area in its columns, then each count right-aligned. */
static void
dash_row(int row, const char *area, const char *const *nums, attr_t a)
{
	char	*line, *t;
	size_t	 i;
	int	 pad;

	line = utf8_pad(area, DASH_AREA_COLS);
	for (i = 0; i < DASH_N; i++) {
		pad = DASH_NUM_COLS - utf8_cols(nums[i]);
		xasprintf(&t, "%s%*s%s", line, pad > 0 ? pad : 0, "", nums[i]);
		free(line);
		line = t;
	}
	ui_put(row, 2, COLS - 4, line, a);
	free(line);
}

static void
dash_draw(struct ui *ui, struct dash *d)
{
	const char	*nums[DASH_N];
	char		 sums[DASH_N][16], *s;
	long long	 total[DASH_N] = { 0 };
	size_t		 j;
	int		 i, row = DASH_TOP;
	attr_t		 late;

	if (ui_too_small(ui))
		return;
	ui_frame(ui, _("Command dashboard"), _(" F5 refresh   F3 back   "
	    "F10 log out"));
	xasprintf(&s, _("Open cases of %s now (updated %s, every %d s)"),
	    ui->user.unit_name, d->at, DASH_REFRESH);
	ui_put(2, 2, COLS - 4, s, A_BOLD);
	free(s);
	for (j = 0; j < DASH_N; j++)
		nums[j] = _(dash_heads[j]);
	dash_row(row++, _("Area"), nums, A_BOLD | A_UNDERLINE);
	late = has_colors() ? COLOR_PAIR(2) | A_BOLD : A_BOLD | A_REVERSE;
	for (i = 0; d->res != NULL && i < PQntuples(d->res) &&
	    row < LINES - 5; i++) {
		for (j = 0; j < DASH_N; j++) {
			nums[j] = PQgetvalue(d->res, i, 2 + (int)j);
			total[j] += atoll(nums[j]);
		}
		dash_row(row++, strcmp(PQgetvalue(d->res, i, 1), "t") == 0 ?
		    _("Own unit") : PQgetvalue(d->res, i, 0), nums,
		    atoll(nums[DASH_LATE]) > 0 ? late : A_NORMAL);
	}
	for (j = 0; j < DASH_N; j++) {
		snprintf(sums[j], sizeof sums[j], "%lld", total[j]);
		nums[j] = sums[j];
	}
	dash_row(row++, _("Total"), nums, A_BOLD);
	ui_put(++row, 2, COLS - 4, _("Today: registered since midnight.  "
	    "Sign: awaiting sign-for.  Doing: being handled."), A_DIM);
	ui_put(++row, 2, COLS - 4, _("Review: a return, extension or reply "
	    "waits for a decision.  Soon, Late: due soon, overdue."), A_DIM);
	ui_draw_status(ui);
	refresh();
}

/* Once a second while no key comes: new figures now and then. */
static void
dash_tick(struct ui *ui, void *arg)
{
	struct dash	*d = arg;

	if (time(NULL) - d->loaded < DASH_REFRESH)
		return;
	if (dash_load(ui, d) == 0)
		ui_status(ui, false, "%s", "");
	dash_draw(ui, d);
}

void
screen_dashboard(struct ui *ui)
{
	struct dash	 d;
	wint_t		 wc;
	int		 code;

	memset(&d, 0, sizeof d);
	if (dash_load(ui, &d) != 0)
		return;
	while (!ui->quit) {
		ui->tick_hook = dash_tick;
		ui->save_arg = &d;
		dash_draw(ui, &d);
		switch (ui_key(ui, &wc, &code)) {
		case UK_BACK:
			goto out;
		case UK_QUIT:
			ui->quit = true;
			break;
		case UK_HELP:
			ui_message(ui, _("Help"), _("The open cases of your "
			    "jurisdiction by area, as they stand now; the "
			    "screen refreshes itself. F5 refreshes now, F3 "
			    "goes back."));
			break;
		default:
			if (code == KEY_F(5) && dash_load(ui, &d) == 0)
				ui_status(ui, false, "%s", "");
			break;
		}
	}
out:
	ui->tick_hook = NULL;
	ui->save_arg = NULL;
	PQclear(d.res);
}
