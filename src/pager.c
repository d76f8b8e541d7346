/*
 * pager.c — lines of text on a screen of their own, scrolled with the
 * arrows, PgUp/PgDn, Home and End: the detail of an audit row, the
 * figures.  F3 goes back; another function key goes to the screen's key
 * callback, which may fill the lines anew (F5 "period" on the figures).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define PAGER_TOP	4

void
pager_add(struct pager *pg, attr_t attr, const char *fmt, ...)
{
	va_list	 ap;
	char	*s, *t, *e;

	va_start(ap, fmt);
	s = xvasprintf_str(fmt, ap);
	va_end(ap);
	/* One screen row per line: a text with line ends makes several. */
	for (t = s;; t = e + 1) {
		if ((e = strchr(t, '\n')) != NULL)
			*e = '\0';
		if (pg->n == pg->alloc) {
			pg->alloc = pg->alloc == 0 ? 32 : pg->alloc * 2;
			pg->lines = xreallocarray(pg->lines, pg->alloc,
			    sizeof *pg->lines);
			pg->attrs = xreallocarray(pg->attrs, pg->alloc,
			    sizeof *pg->attrs);
		}
		pg->lines[pg->n] = xstrdup(t);
		pg->attrs[pg->n++] = attr;
		if (e == NULL)
			break;
	}
	free(s);
}

void
pager_clear(struct pager *pg)
{
	size_t	 i;

	for (i = 0; i < pg->n; i++)
		free(pg->lines[i]);
	free(pg->lines);
	free(pg->attrs);
	pg->lines = NULL;
	pg->attrs = NULL;
	pg->n = pg->alloc = 0;
	pg->top = 0;
}

static int
pager_height(void)
{
	return LINES - 2 - PAGER_TOP;
}

static void
pager_draw(struct ui *ui, struct pager *pg)
{
	size_t	 i;
	int	 row = PAGER_TOP;
	char	*more;

	if (ui_too_small(ui))
		return;
	ui_frame(ui, pg->title, pg->keys != NULL ? pg->keys :
	    _(" ↑↓ PgUp PgDn scroll   F3 back   F10 log out"));
	for (i = pg->top; i < pg->n && row < PAGER_TOP + pager_height(); i++)
		ui_put(row++, 2, COLS - 4, pg->lines[i], pg->attrs[i]);
	if (pg->n > (size_t)pager_height()) {
		xasprintf(&more, "%zu-%zu/%zu", pg->top + 1, pg->top +
		    (size_t)(row - PAGER_TOP), pg->n);
		ui_put(2, COLS - 2 - utf8_cols(more), utf8_cols(more), more,
		    A_NORMAL);
		free(more);
	}
	move(PAGER_TOP, 2);
	refresh();
}

void
pager_run(struct ui *ui, struct pager *pg)
{
	wint_t	 wc;
	int	 code;
	size_t	 h, last;

	while (!ui->quit) {
		h = pager_height() > 1 ? (size_t)pager_height() : 1;
		last = pg->n > h ? pg->n - h : 0;
		if (pg->top > last)
			pg->top = last;
		pager_draw(ui, pg);
		switch (ui_key(ui, &wc, &code)) {
		case UK_UP:
			if (pg->top > 0)
				pg->top--;
			break;
		case UK_DOWN:
		case UK_ENTER:
			pg->top++;
			break;
		case UK_PGUP:
			pg->top = pg->top > h - 1 ? pg->top - (h - 1) : 0;
			break;
		case UK_PGDN:
			pg->top += h - 1;
			break;
		case UK_HOME:
			pg->top = 0;
			break;
		case UK_END:
			pg->top = last;
			break;
		case UK_OTHER:
			if (pg->key != NULL)
				pg->key(ui, pg, code);
			break;
		case UK_BACK:
			return;
		case UK_QUIT:
			ui->quit = true;
			return;
		default:
			break;
		}
	}
}
