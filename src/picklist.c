/*
 * picklist.c — the F4 list of a choice field: a box over the form with the
 * entries of a code table (a tree indented by depth, as the org units),
 * each with its code; typing filters by code or name (form-choice.c's
 * rule), arrows and PgUp/PgDn move, Enter chooses, Esc or F3 cancels.  For
 * a field of several choices Space marks and Enter takes the marked ones.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define PICK_FILTER	64

struct pick {
	const char		*title;
	const struct choices	*t;
	bool			*marks;
	wchar_t			 filter[PICK_FILTER];
	size_t			 flen;
	size_t			*match, nmatch;
	size_t			 sel, top;
	int			 y, x, h, w;
};

static void
pick_filter(struct pick *p)
{
	char	*f = utf8_from_wcs(p->filter, p->flen);
	size_t	 i;

	p->nmatch = 0;
	for (i = 0; i < p->t->n; i++)
		if (choice_matches(&p->t->v[i], f))
			p->match[p->nmatch++] = i;
	free(f);
	if (p->sel >= p->nmatch)
		p->sel = p->nmatch > 0 ? p->nmatch - 1 : 0;
}

static void
pick_geometry(struct pick *p)
{
	p->w = COLS - 4 < 66 ? COLS - 4 : 66;
	p->h = (int)p->t->n + 5;
	if (p->h > LINES - 4)
		p->h = LINES - 4;
	if (p->h < 8)
		p->h = 8;
	p->y = (LINES - p->h) / 2;
	p->x = (COLS - p->w) / 2;
}

static void
pick_row(struct pick *p, int row, size_t k, bool selected)
{
	const struct choice	*c = &p->t->v[p->match[k]];
	attr_t			 a = selected ? A_BOLD | (has_colors() ?
				    COLOR_PAIR(3) : A_REVERSE) : A_REVERSE;
	char			*line, *code;
	int			 indent = c->depth > 6 ? 12 : c->depth * 2;
	int			 cw, lw;

	xasprintf(&line, "%*s%s%s", indent, "", p->marks == NULL ? "" :
	    p->marks[p->match[k]] ? "[x] " : "[ ] ", c->label);
	code = strcmp(c->code, c->label) != 0 ? c->code : "";
	cw = utf8_cols(code);
	lw = p->w - 4 - cw - 1;
	ui_put(row, p->x + 2, lw, line, a);
	ui_put(row, p->x + 2 + lw, cw + 1, "", a);
	ui_put(row, p->x + 2 + lw + 1, cw, code, a | A_DIM);
	free(line);
}

static void
pick_draw(struct ui *ui, struct pick *p)
{
	int	 rows = p->h - 5, r;
	char	*s, *f;

	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + (size_t)rows)
		p->top = p->sel - (size_t)rows + 1;
	for (r = 0; r < p->h; r++)
		ui_put(p->y + r, p->x, p->w, "", A_REVERSE);
	ui_put(p->y + 1, p->x + 2, p->w - 4, p->title, A_REVERSE | A_BOLD);
	f = utf8_from_wcs(p->filter, p->flen);
	xasprintf(&s, "%s %s", _("Search:"), f);
	ui_put(p->y + 2, p->x + 2, p->w - 4, s, A_REVERSE);
	free(s);
	for (r = 0; r < rows && p->top + (size_t)r < p->nmatch; r++)
		pick_row(p, p->y + 3 + r, p->top + (size_t)r,
		    p->top + (size_t)r == p->sel);
	if (p->nmatch == 0)
		ui_put(p->y + 3, p->x + 2, p->w - 4, _("Nothing matches."),
		    A_REVERSE);
	xasprintf(&s, _("%zu of %zu"), p->nmatch > 0 ? p->sel + 1 : 0,
	    p->nmatch);
	ui_put(p->y + p->h - 1, p->x + p->w - 2 - utf8_cols(s), utf8_cols(s),
	    s, A_REVERSE);
	free(s);
	ui_put(LINES - 1, 0, COLS, p->marks != NULL ?
	    _(" ↑↓ select  Space mark  Enter done  type to search  Esc cancel") :
	    _(" ↑↓ select  Enter choose  type to search  Esc cancel"),
	    has_colors() ? COLOR_PAIR(1) | A_BOLD : A_REVERSE);
	/* The cursor in the search line, where typing goes. */
	move(p->y + 2, p->x + 2 + utf8_cols(_("Search:")) + 1 + utf8_cols(f));
	free(f);
	refresh();
}

int
picklist_run(struct ui *ui, const char *title, const struct choices *t,
    const char *filter, size_t sel, bool *marks)
{
	struct pick	 p;
	wchar_t		*w;
	wint_t		 wc;
	int		 code, ret = -2;
	size_t		 page;

	memset(&p, 0, sizeof p);
	p.title = title;
	p.t = t;
	p.marks = marks;
	p.match = xcalloc(t->n + 1, sizeof *p.match);
	w = wcs_from_utf8(filter);
	for (; p.flen < PICK_FILTER && w[p.flen] != L'\0'; p.flen++)
		p.filter[p.flen] = w[p.flen];
	free(w);
	pick_filter(&p);
	p.sel = p.flen == 0 && sel < p.nmatch ? sel : 0;
	pick_geometry(&p);
	while (ret == -2) {
		page = p.h > 6 ? (size_t)(p.h - 6) : 1;
		pick_draw(ui, &p);
		switch (ui_key(ui, &wc, &code)) {
		case UK_UP:
		case UK_PREV:
			if (p.sel > 0)
				p.sel--;
			break;
		case UK_DOWN:
		case UK_NEXT:
			if (p.sel + 1 < p.nmatch)
				p.sel++;
			break;
		case UK_PGUP:
			p.sel = p.sel > page ? p.sel - page : 0;
			break;
		case UK_PGDN:
			p.sel = p.sel + page < p.nmatch ? p.sel + page :
			    p.nmatch > 0 ? p.nmatch - 1 : 0;
			break;
		case UK_HOME:
			p.sel = 0;
			break;
		case UK_END:
			p.sel = p.nmatch > 0 ? p.nmatch - 1 : 0;
			break;
		case UK_ENTER:
			if (marks != NULL)
				ret = 0;
			else if (p.nmatch > 0)
				ret = (int)p.match[p.sel];
			break;
		case UK_BACK:
		case UK_QUIT:
			ret = -1;
			break;
		case UK_RESIZE:
			erase();
			pick_geometry(&p);
			break;
		case UK_OTHER:
			if (code == KEY_BACKSPACE && p.flen > 0) {
				p.flen--;
				pick_filter(&p);
			}
			break;
		case UK_CHAR:
			if (wc == ' ' && marks != NULL) {
				if (p.nmatch > 0)
					marks[p.match[p.sel]] =
					    !marks[p.match[p.sel]];
			} else if (wc == 0x7f || wc == 'H' - 64) {
				if (p.flen > 0)
					p.flen--;
			} else if (wc == 'U' - 64) {
				p.flen = 0;
			} else if (wc >= ' ' && p.flen < PICK_FILTER) {
				p.filter[p.flen++] = (wchar_t)wc;
				p.sel = 0;
			}
			pick_filter(&p);
			break;
		default:
			break;
		}
	}
	free(p.match);
	return ret;
}
