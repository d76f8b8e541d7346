/*
 * ui-menu.c — the main menu: the items of forms/menus.conf that this
 * clerk's roles and office level allow, then Exit.  Arrow keys or the
 * item's key (1-9, then a-z) select, Enter opens, F10 (or Exit) logs out.
 * An item with a count shows how many cases wait in that inbox; the counts
 * are fetched again every few seconds while the menu is on screen, so a
 * case dispatched to this unit shows up without logging in again.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui.h"

#define MENU_REFRESH	5	/* seconds between counts */
#define MENU_COUNT_CAP	100	/* a badge says "99+" beyond */

struct ui_menu_entry {
	const struct menu_item	*item;	/* NULL: Exit */
	char			 key;
	long			 count;	/* -1: none shown */
};

struct ui_menu {
	struct ui_menu_entry	*e;
	size_t			 n, sel;
	time_t			 counted;
};

static size_t
ui_menu_build(struct ui *ui, struct ui_menu_entry *e)
{
	size_t	 i, n = 0;

	for (i = 0; i < ui->menu->nitems; i++) {
		const struct menu_item *mi = &ui->menu->items[i];
		if (!menu_allows(mi, ui->user.roles, ui->user.level_bit))
			continue;
		e[n].item = mi;
		e[n].key = mi->key != 0 ? mi->key :
		    n < 9 ? (char)('1' + n) : (char)('a' + n - 9);
		e[n].count = -1;
		n++;
	}
	e[n].item = NULL;
	e[n].key = '0';
	e[n].count = -1;
	return n + 1;
}

/* Fetch the inbox counts; true when one that is shown changed. */
static bool
ui_menu_count(struct ui *ui, struct ui_menu *m)
{
	PGresult	*res;
	char		 cap[16], *cause = NULL;
	const char	*p[1] = { cap };
	size_t		 i;
	long		 c;
	bool		 changed = false;
	int		 col;

	m->counted = time(NULL);
	for (i = 0; i < m->n; i++)
		if (m->e[i].item != NULL && m->e[i].item->count != NULL)
			break;
	if (i == m->n)
		return false;
	snprintf(cap, sizeof cap, "%d", MENU_COUNT_CAP);
	res = db_call(ui->db, "SELECT * FROM caseterm.inbox_counts($1::int)",
	    1, p, &cause);
	if (res == NULL || PQntuples(res) != 1) {
		free(cause);	/* the menu works without its counts */
		PQclear(res);
		return false;
	}
	for (i = 0; i < m->n; i++) {
		if (m->e[i].item == NULL || m->e[i].item->count == NULL)
			continue;
		col = PQfnumber(res, m->e[i].item->count);
		c = col >= 0 ? atol(PQgetvalue(res, 0, col)) : -1;
		if (c != m->e[i].count)
			changed = true;
		m->e[i].count = c;
	}
	PQclear(res);
	return changed;
}

static void
ui_menu_draw(struct ui *ui, struct ui_menu *m)
{
	struct ui_menu_entry	*e;
	size_t			 i, rows = (size_t)(LINES - 2 - 4);
	char			*line, num[16];
	attr_t			 a;
	int			 w = 44;

	if (ui_too_small(ui))
		return;
	ui_frame(ui, _("Main menu"),
	    _(" ↑↓ select   Enter open   F1 help   F10 log out"));
	/* More items than rows: two columns, the first one fuller. */
	if (m->n > rows) {
		w = (COLS - 6) / 2;
		rows = (m->n + 1) / 2;
	}
	for (i = 0; i < m->n && 4 + (int)(i % rows) < LINES - 2; i++) {
		e = &m->e[i];
		num[0] = '\0';
		if (e->count >= MENU_COUNT_CAP)
			snprintf(num, sizeof num, " (%d+)", MENU_COUNT_CAP - 1);
		else if (e->count > 0)
			snprintf(num, sizeof num, " (%ld)", e->count);
		xasprintf(&line, " %c  %s%s", e->key, e->item != NULL ?
		    _(e->item->label) : _("Exit"), num);
		a = i == m->sel ? A_REVERSE : A_NORMAL;
		if (e->count > 0)
			a |= A_BOLD;
		ui_put(4 + (int)(i % rows), 4 + (int)(i / rows) * (w + 2), w,
		    line, a);
		free(line);
	}
	move(4 + (int)(m->sel % rows), 5 + (int)(m->sel / rows) * (w + 2));
	refresh();
}

/* Once a second while no key comes: new counts every few seconds. */
static void
ui_menu_tick(struct ui *ui, void *arg)
{
	struct ui_menu	*m = arg;

	if (time(NULL) - m->counted >= MENU_REFRESH && ui_menu_count(ui, m))
		ui_menu_draw(ui, m);
}

void
ui_menu(struct ui *ui)
{
	struct ui_menu	 m;
	size_t		 i;
	wint_t		 wc;
	int		 code;

	memset(&m, 0, sizeof m);
	m.e = xcalloc(ui->menu->nitems + 1, sizeof *m.e);
	m.n = ui_menu_build(ui, m.e);
	ui_status(ui, false, _("Welcome, %s."), ui->user.name);
	ui_menu_count(ui, &m);
	while (!ui->quit) {
		ui->tick_hook = ui_menu_tick;
		ui->save_arg = &m;
		ui_menu_draw(ui, &m);
		switch (ui_key(ui, &wc, &code)) {
		case UK_UP:
		case UK_PREV:
			m.sel = m.sel == 0 ? m.n - 1 : m.sel - 1;
			break;
		case UK_DOWN:
		case UK_NEXT:
			m.sel = (m.sel + 1) % m.n;
			break;
		case UK_HOME:
			m.sel = 0;
			break;
		case UK_END:
			m.sel = m.n - 1;
			break;
		case UK_QUIT:
			ui->quit = true;
			break;
		case UK_HELP:
			ui_message(ui, _("Help"), _("Choose with the arrow keys "
			    "or the number, open with Enter; F10 logs out."));
			break;
		case UK_BACK:
			ui_status(ui, false, _("This is the main menu: F10 or "
			    "Exit logs out."));
			break;
		case UK_CHAR:
			for (i = 0; i < m.n; i++)
				if ((wint_t)m.e[i].key == wc)
					break;
			if (i == m.n)
				break;
			m.sel = i;
			/* FALLTHROUGH */
		case UK_ENTER:
			if (m.e[m.sel].item == NULL) {
				ui->quit = true;
				break;
			}
			ui->tick_hook = NULL;
			ui->save_arg = NULL;
			ui_status(ui, false, "%s", "");
			screen_open(ui, m.e[m.sel].item);
			ui_menu_count(ui, &m);
			break;
		default:
			break;
		}
	}
	ui->tick_hook = NULL;
	ui->save_arg = NULL;
	free(m.e);
}
