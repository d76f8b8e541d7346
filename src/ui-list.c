/*
 * ui-list.c — the one list engine behind every list screen (as tmux's
 * mode-tree serves its modes): columns measured in terminal columns, a
 * moving selection, paging, and Enter handed to the screen's open callback.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define LIST_TOP	4

/* Copy a query result into the view, one string per cell. */
void
list_load(struct list_view *lv, PGresult *res)
{
	size_t	 i, j, n = (size_t)PQntuples(res), m = (size_t)PQnfields(res);

	lv->rows = xcalloc(n, sizeof *lv->rows);
	for (i = 0; i < n; i++) {
		lv->rows[i] = xcalloc(m + 1, sizeof **lv->rows);
		for (j = 0; j < m; j++)
			lv->rows[i][j] = xstrdup(PQgetvalue(res, (int)i, (int)j));
	}
	lv->nrows = n;
}

void
list_free(struct list_view *lv)
{
	size_t	 i, j;

	for (i = 0; i < lv->nrows; i++) {
		for (j = 0; lv->rows[i][j] != NULL; j++)
			free(lv->rows[i][j]);
		free(lv->rows[i]);
	}
	free(lv->rows);
	lv->rows = NULL;
	lv->nrows = 0;
}

static void
list_line(struct list_view *lv, int row, char **cells, attr_t a, bool xlate)
{
	size_t	 j;
	int	 x = 2, w;

	ui_put(row, 0, COLS, "", a);
	for (j = 0; j < lv->ncols && x < COLS - 1; j++) {
		w = lv->cols[j].width == 0 ? COLS - 1 - x : lv->cols[j].width;
		if (w > COLS - 1 - x)
			w = COLS - 1 - x;
		ui_put(row, x, w, xlate ? _(cells[j]) : cells[j], a);
		x += w + 1;
	}
}

static int
list_height(void)
{
	return LINES - 2 - LIST_TOP - 1;
}

static void
list_draw(struct ui *ui, struct list_view *lv)
{
	char	*heads[16], *count;
	size_t	 i;
	int	 h = list_height();

	if (ui_too_small(ui))
		return;
	ui_frame(ui, lv->title, lv->keys != NULL ? lv->keys :
	    _(" ↑↓ PgUp PgDn move   Enter open   F3 back   F10 log out"));
	for (i = 0; i < lv->ncols && i < 16; i++)
		heads[i] = (char *)lv->cols[i].title;
	list_line(lv, LIST_TOP, heads, A_BOLD | A_UNDERLINE, true);
	if (lv->sel < lv->top)
		lv->top = lv->sel;
	if (lv->sel >= lv->top + (size_t)h)
		lv->top = lv->sel - (size_t)h + 1;
	for (i = lv->top; i < lv->nrows && i < lv->top + (size_t)h; i++)
		list_line(lv, LIST_TOP + 1 + (int)(i - lv->top), lv->rows[i],
		    (i == lv->sel ? A_REVERSE : A_NORMAL) |
		    (lv->row_attr != NULL ? lv->row_attr(lv, i) : A_NORMAL), false);
	if (lv->nrows == 0)
		ui_put(LIST_TOP + 2, 4, COLS - 8, _("Nothing to show."), A_NORMAL);
	xasprintf(&count, _("%zu of %zu"), lv->nrows == 0 ? 0 : lv->sel + 1,
	    lv->nrows);
	ui_put(2, COLS - 2 - utf8_cols(count), utf8_cols(count), count, A_NORMAL);
	free(count);
	move(LIST_TOP + 1 + (int)(lv->sel - lv->top), 0);
	refresh();
}

void
list_run(struct ui *ui, struct list_view *lv)
{
	wint_t	 wc;
	int	 code;
	size_t	 page = (size_t)(list_height() > 1 ? list_height() - 1 : 1);

	for (;;) {
		list_draw(ui, lv);
		switch (ui_key(ui, &wc, &code)) {
		case UK_UP:
			if (lv->sel > 0)
				lv->sel--;
			break;
		case UK_DOWN:
			if (lv->sel + 1 < lv->nrows)
				lv->sel++;
			break;
		case UK_PGUP:
			lv->sel = lv->sel > page ? lv->sel - page : 0;
			break;
		case UK_PGDN:
			lv->sel += page;
			if (lv->sel >= lv->nrows)
				lv->sel = lv->nrows > 0 ? lv->nrows - 1 : 0;
			break;
		case UK_END:
			lv->sel = lv->nrows > 0 ? lv->nrows - 1 : 0;
			break;
		case UK_HOME:
			lv->sel = 0;
			break;
		case UK_ENTER:
			if (lv->nrows > 0 && lv->open != NULL)
				lv->open(ui, lv, lv->sel);
			if (lv->reload || ui->quit)
				return;
			break;
		case UK_QUIT:
			ui->quit = true;
			return;
		case UK_BACK:
			return;
		case UK_RESIZE:
			page = (size_t)(list_height() > 1 ? list_height() - 1 : 1);
			break;
		case UK_OTHER:
			if (lv->key != NULL)
				lv->key(ui, lv, code);
			if (lv->reload || ui->quit)
				return;
			break;
		default:
			break;
		}
	}
}

/* Fill lv, run it, and fill it again whenever what it opened changed
 * something (lv->reload), until the clerk leaves it; fill returns -1 when
 * it cannot (it says why). */
void
list_run_reload(struct ui *ui, struct list_view *lv,
    int (*fill)(struct ui *, struct list_view *))
{
	if (fill(ui, lv) != 0)
		return;
	for (;;) {
		lv->reload = false;
		list_run(ui, lv);
		if (!lv->reload || ui->quit)
			break;
		if (fill(ui, lv) != 0)
			break;
	}
	list_free(lv);
}
