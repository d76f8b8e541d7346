/*
 * ui.c — the frame every screen shares: a top bar naming the system, the
 * clerk's unit, level, name and roles; the screen's title; a status line for
 * messages and errors; a bottom bar with the keys that work here.  Also the
 * key reader that turns terminal keys into intentions (F2 save, F3 back...)
 * and small modal boxes.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* PuTTY and the Linux console send these for F1-F4 (DESIGN.md). */
static const struct { const char *seq; int key; } ui_extra_keys[] = {
	{ "\033[11~", KEY_F(1) }, { "\033[12~", KEY_F(2) },
	{ "\033[13~", KEY_F(3) }, { "\033[14~", KEY_F(4) },
	{ "\033[[A", KEY_F(1) }, { "\033[[B", KEY_F(2) },
	{ "\033[[C", KEY_F(3) }, { "\033[[D", KEY_F(4) },
	{ "\033[[E", KEY_F(5) },
};

void
ui_set_language(const char *locale)
{
	if (locale == NULL || *locale == '\0')
		return;
	setenv("LANGUAGE", locale, 1);
	/* textdomain() drops gettext's cache of translations. */
	textdomain(CT_DOMAIN);
}

void
ui_start(struct ui *ui)
{
	size_t	 i;

	if (newterm(NULL, stdout, stdin) == NULL) {
		/* An unknown TERM: a plain but working terminal. */
		setenv("TERM", "xterm", 1);
		if (newterm(NULL, stdout, stdin) == NULL)
			fatal("cannot start the terminal");
	}
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	timeout(1000);		/* a tick a second for the idle lock */
	ui_lock_init();
	for (i = 0; i < sizeof ui_extra_keys / sizeof ui_extra_keys[0]; i++)
		define_key(ui_extra_keys[i].seq, ui_extra_keys[i].key);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_WHITE, COLOR_BLUE);	/* bars */
		init_pair(2, COLOR_RED, -1);		/* errors */
		init_pair(3, COLOR_BLACK, COLOR_CYAN);	/* selection */
		init_pair(4, COLOR_BLACK, COLOR_WHITE);	/* input fields */
		init_pair(5, COLOR_YELLOW, -1);		/* due soon */
	}
}

void
ui_stop(void)
{
	if (!isendwin())
		endwin();
}

/* utf8 cut to cols columns at row, col, with attributes. */
void
ui_put(int row, int col, int cols, const char *utf8, attr_t attr)
{
	char	*s;

	if (cols <= 0)
		return;
	s = utf8_pad(utf8, cols);
	attron(attr);
	mvaddstr(row, col, s);
	attroff(attr);
	free(s);
}

static attr_t
ui_bar_attr(void)
{
	return has_colors() ? COLOR_PAIR(1) | A_BOLD : A_REVERSE;
}

bool
ui_too_small(struct ui *ui)
{
	char	*msg;

	if (COLS >= UI_MIN_COLS && LINES >= UI_MIN_ROWS)
		return false;
	erase();
	xasprintf(&msg, _("Terminal too small: need %dx%d, have %dx%d"),
	    UI_MIN_COLS, UI_MIN_ROWS, COLS, LINES);
	mvaddstr(0, 0, msg);
	free(msg);
	refresh();
	return true;
}

static char *
ui_role_list(const struct ui_user *u)
{
	const struct code_name	*r;
	char			*s = xstrdup(""), *t;

	for (r = role_names; r->code != NULL; r++) {
		if ((u->roles & r->bit) == 0)
			continue;
		xasprintf(&t, "%s%s%s", s, *s != '\0' ? ", " : "", _(r->label));
		free(s);
		s = t;
	}
	return s;
}

void
ui_frame(struct ui *ui, const char *title, const char *keys)
{
	char	*top, *roles;

	erase();
	roles = ui_role_list(&ui->user);
	xasprintf(&top, " %s │ %s (%s) │ %s │ %s", _("12348 Legal Service"),
	    ui->user.unit_name, _(code_label(level_names, ui->user.level)),
	    ui->user.name, roles);
	ui_put(0, 0, COLS, top, ui_bar_attr());
	free(top);
	free(roles);
	ui_put(2, 2, COLS - 4, title, A_BOLD);
	ui_put(LINES - 1, 0, COLS, keys, ui_bar_attr());
	ui_draw_status(ui);
}

void
ui_draw_status(struct ui *ui)
{
	attr_t	 a = A_NORMAL;

	if (ui->status_error)
		a = has_colors() ? COLOR_PAIR(2) | A_BOLD : A_BOLD;
	ui_put(LINES - 2, 0, COLS, ui->status, a);
}

void
ui_status(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof ui->status, fmt, ap);
	va_end(ap);
	ui->status_error = error;
	ui_draw_status(ui);
}

/*
 * Read one key.  Function keys and their control-key twins map to what they
 * mean everywhere: F1 help, F2 or ^S save, F3 or Esc back, F10 log out.
 */
enum ui_key
ui_key(struct ui *ui, wint_t *wc, int *code)
{
	int	 r;

	*wc = 0;
	*code = 0;
	while ((r = get_wch(wc)) == ERR) {
		/* A second without a key, or a signal. */
		if (ui_lock_idle(ui))
			return ui->quit ? UK_QUIT : UK_RESIZE;
		if (ui->tick_hook != NULL)
			ui->tick_hook(ui, ui->save_arg);
	}
	ui_lock_key();
	if (r == KEY_CODE_YES) {
		*code = (int)*wc;
		*wc = 0;
		switch (*code) {
		case KEY_RESIZE:	return UK_RESIZE;
		case KEY_F(1):		return UK_HELP;
		case KEY_F(2):		return UK_SAVE;
		case KEY_F(3):		return UK_BACK;
		case KEY_F(10):		return UK_QUIT;
		case KEY_BTAB:		return UK_PREV;
		case KEY_UP:		return UK_UP;
		case KEY_DOWN:		return UK_DOWN;
		case KEY_PPAGE:		return UK_PGUP;
		case KEY_NPAGE:		return UK_PGDN;
		case KEY_HOME:		return UK_HOME;
		case KEY_END:		return UK_END;
		case KEY_ENTER:		return UK_ENTER;
		}
		return UK_OTHER;
	}
	switch (*wc) {
	case 033:	return UK_BACK;
	case '\t':	return UK_NEXT;
	case '\r':
	case '\n':	return UK_ENTER;
	case 'S' - 64:	return UK_SAVE;
	}
	return UK_CHAR;
}

/* A box in the middle of the screen with text, until a key is pressed. */
static void
ui_box(const char *title, const char *text, const char *hint)
{
	int	 w, h = 6, y, x;

	w = utf8_cols(text) + 6;
	if (w < utf8_cols(title) + 6)
		w = utf8_cols(title) + 6;
	if (w < utf8_cols(hint) + 6)
		w = utf8_cols(hint) + 6;
	if (w > COLS - 2)
		w = COLS - 2;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	for (int i = 0; i < h; i++)
		ui_put(y + i, x, w, "", A_REVERSE);
	ui_put(y + 1, x + 2, w - 4, title, A_REVERSE | A_BOLD);
	ui_put(y + 2, x + 2, w - 4, text, A_REVERSE);
	ui_put(y + 4, x + 2, w - 4, hint, A_REVERSE);
	refresh();
}

void
ui_message(struct ui *ui, const char *title, const char *text)
{
	wint_t	 wc;
	int	 code;

	ui_box(title, text, _("Press Enter to continue"));
	for (;;) {
		switch (ui_key(ui, &wc, &code)) {
		case UK_ENTER:
		case UK_BACK:
		case UK_QUIT:
			return;
		case UK_RESIZE:
			ui_box(title, text, _("Press Enter to continue"));
			break;
		default:
			break;
		}
	}
}

bool
ui_confirm(struct ui *ui, const char *question)
{
	wint_t	 wc;
	int	 code;

	ui_box(_("Please confirm"), question, _("y = yes, n = no"));
	for (;;) {
		switch (ui_key(ui, &wc, &code)) {
		case UK_CHAR:
			if (wc == 'y' || wc == 'Y')
				return true;
			if (wc == 'n' || wc == 'N')
				return false;
			break;
		case UK_BACK:
			return false;
		default:
			break;
		}
	}
}

/*
 * A list in a box over the screen: pick one of items (msgids, shown
 * translated) with the arrows or its number and Enter.  The index, or -1
 * for F3/Esc.
 */
int
ui_choose(struct ui *ui, const char *title, const char *const *items,
    size_t n)
{
	size_t	 i, sel = 0;
	int	 w, h, y, x, code;
	wint_t	 wc;
	char	*line;

	for (;;) {
		w = utf8_cols(_(title)) + 8;
		for (i = 0; i < n; i++)
			if (utf8_cols(_(items[i])) + 10 > w)
				w = utf8_cols(_(items[i])) + 10;
		if (w > COLS - 4)
			w = COLS - 4;
		h = (int)n + 4;
		if (h > LINES - 4)
			h = LINES - 4;
		y = (LINES - h) / 2;
		x = (COLS - w) / 2;
		for (i = 0; i < (size_t)h; i++)
			ui_put(y + (int)i, x, w, "", A_REVERSE);
		ui_put(y + 1, x + 2, w - 4, _(title), A_REVERSE | A_BOLD);
		for (i = 0; i < n && (int)i < h - 4; i++) {
			xasprintf(&line, "%2zu  %s", i + 1, _(items[i]));
			ui_put(y + 3 + (int)i, x + 2, w - 4, line,
			    i == sel ? A_NORMAL : A_REVERSE);
			free(line);
		}
		move(y + 3 + (int)sel, x + 2);
		refresh();
		switch (ui_key(ui, &wc, &code)) {
		case UK_UP:
		case UK_PREV:
			sel = sel == 0 ? n - 1 : sel - 1;
			break;
		case UK_DOWN:
		case UK_NEXT:
			sel = (sel + 1) % n;
			break;
		case UK_ENTER:
			return (int)sel;
		case UK_BACK:
			return -1;
		case UK_QUIT:
			ui->quit = true;
			return -1;
		case UK_CHAR:
			if (wc >= '1' && wc <= '9' && (size_t)(wc - '1') < n)
				return (int)(wc - '1');
			break;
		default:
			break;
		}
	}
}
