/*
 * ui-lock.c — what happens while nobody types, and when the line drops.
 *
 * After session.idle_warn seconds without a key the status line warns;
 * after session.idle_lock the screen is covered by a lock that only the
 * clerk's password lifts.  The screen underneath, a half-filled form
 * included, is kept as it was.  Five wrong passwords log the clerk out.
 *
 * SIGHUP (the connection dropped, or casetermd asks the UI to leave) and
 * SIGTERM end the UI: the hook of the screen in front saves what can be
 * saved, the login session is ended, and the process exits.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui.h"

#define LOCK_MAX_TRIES	5

static volatile sig_atomic_t	ui_got_hup;
static time_t			ui_last_key;
static bool			ui_warned;

static time_t
ui_clock(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
ui_hup(int sig)
{
	ui_got_hup = sig;
}

void
ui_lock_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_hup;		/* no SA_RESTART: get_wch returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ui_last_key = ui_clock();
}

void
ui_lock_key(void)
{
	ui_last_key = ui_clock();
	ui_warned = false;
}

/* Leave now: save, end the login session, exit.  Never returns. */
void
ui_hangup(struct ui *ui)
{
	if (ui->save_hook != NULL)
		ui->save_hook(ui, ui->save_arg);
	ui_stop();
	ui_logout(ui);
	exit(0);
}

static bool
ui_lock_check(struct ui *ui, const char *password)
{
	const char	*why = NULL;
	char		*cause = NULL;
	long long	 uid = 0;
	int		 r;

	r = auth_password_check(ui->db, ui->user.login, password, &uid, &why,
	    &cause);
	free(cause);
	if (r == 1 && uid == ui->user.id)
		return true;
	if (r == 0)
		auth_record_failure(ui->db, ui->user.login, "screen lock", why);
	return false;
}

static void
ui_lock_draw(WINDOW *w, struct ui *ui, size_t typed, const char *msg)
{
	char	*line, *stars;
	int	 y = LINES / 2 - 3;

	werase(w);
	xasprintf(&line, _("Screen locked: %s (%s)"), ui->user.name,
	    ui->user.login);
	mvwaddstr(w, y, 4, line);
	free(line);
	mvwaddstr(w, y + 2, 4, _("Enter your password to go on, or F10 to "
	    "log out."));
	stars = xcalloc(1, typed + 1);
	memset(stars, '*', typed);
	xasprintf(&line, "%s%s", _("Password: "), stars);
	mvwaddstr(w, y + 4, 4, line);
	free(line);
	free(stars);
	if (msg != NULL)
		mvwaddstr(w, y + 6, 4, msg);
	wmove(w, y + 4, 4 + utf8_cols(_("Password: ")) + (int)typed);
	wrefresh(w);
}

/* Cover the screen until the password is typed. */
static void
ui_lock(struct ui *ui)
{
	WINDOW		*w = newwin(0, 0, 0, 0);
	char		 pw[256];
	const char	*msg = NULL;
	size_t		 n = 0;
	wint_t		 wc;
	int		 r, tries = 0;

	keypad(w, TRUE);
	wtimeout(w, 1000);
	for (;;) {
		ui_lock_draw(w, ui, n, msg);
		r = wget_wch(w, &wc);
		if (ui_got_hup)
			ui_hangup(ui);
		if (r == ERR)
			continue;
		if (r == KEY_CODE_YES && wc == KEY_F(10)) {
			ui->quit = true;
			break;
		}
		if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
			wresize(w, LINES, COLS);
			continue;
		}
		if (r == KEY_CODE_YES && wc == KEY_BACKSPACE) {
			if (n > 0)
				n--;
			continue;
		}
		if (wc == '\r' || wc == '\n') {
			pw[n] = '\0';
			if (ui_lock_check(ui, pw))
				break;
			n = 0;
			msg = _("Wrong password.");
			if (++tries >= LOCK_MAX_TRIES) {
				ui->quit = true;
				break;
			}
			continue;
		}
		if (wc == 0x7f || wc == 8) {
			if (n > 0)
				n--;
		} else if (r == OK && wc >= ' ' && n + 4 < sizeof pw) {
			char mb[8];
			int k = wctomb(mb, (wchar_t)wc);
			if (k > 0 && n + (size_t)k < sizeof pw - 1) {
				memcpy(pw + n, mb, (size_t)k);
				n += (size_t)k;
			}
		}
	}
	explicit_bzero(pw, sizeof pw);
	delwin(w);
	touchwin(stdscr);
	wnoutrefresh(stdscr);
	doupdate();
}

/*
 * Called about once a second while no key comes, and on a signal.
 * Returns true when the screen must be drawn again (after the lock).
 */
bool
ui_lock_idle(struct ui *ui)
{
	const struct config	*cfg = ui->cfg;
	time_t			 idle;

	if (ui_got_hup)
		ui_hangup(ui);
	idle = ui_clock() - ui_last_key;
	if (cfg->idle_lock > 0 && idle >= cfg->idle_lock) {
		ui_lock(ui);
		ui_lock_key();
		ui_status(ui, false, "%s", "");
		return true;
	}
	if (cfg->idle_warn > 0 && idle >= cfg->idle_warn && !ui_warned) {
		ui_warned = true;
		if (cfg->idle_lock > 0)
			ui_status(ui, true, _("No key for a while: the screen "
			    "locks in %d seconds."), (int)(cfg->idle_lock - idle));
		refresh();
	}
	return false;
}
