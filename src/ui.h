/*
 * ui.h — the clerk's workstation: the frame (top bar, status line, key bar),
 * the main menu, list screens, the form runtime and the screens.
 */
#ifndef CT_UI_H
#define CT_UI_H

#include <curses.h>

#include "caseterm.h"
#include "form.h"

#define UI_MIN_COLS	80
#define UI_MIN_ROWS	24

struct ui_user {
	long long	 id;
	char		*login;
	char		*name;
	long long	 unit_id;
	char		*unit_code;
	char		*unit_name;
	char		*level;		/* code: city, district, ... */
	unsigned	 level_bit;
	unsigned	 roles;
	char		*locale;
};

struct ui {
	const struct config	*cfg;
	struct db		*db;
	long long		 session_id;
	struct ui_user		 user;
	struct menu_def		*menu;
	char			 status[512];
	bool			 status_error;
	bool			 quit;		/* F10: log out */
	/* What the screen in front saves when the UI must leave at once. */
	void			(*save_hook)(struct ui *, void *);
	void			*save_arg;
	/* Called about once a second while no key comes (form drafts). */
	void			(*tick_hook)(struct ui *, void *);
};

/* What a key handler wants next. */
enum ui_key {
	UK_NONE, UK_NEXT, UK_PREV, UK_SAVE, UK_BACK, UK_QUIT, UK_HELP,
	UK_ENTER, UK_UP, UK_DOWN, UK_PGUP, UK_PGDN, UK_HOME, UK_END,
	UK_RESIZE, UK_CHAR, UK_OTHER
};

/* ui.c */
void	 ui_start(struct ui *);
void	 ui_stop(void);
void	 ui_frame(struct ui *, const char *title, const char *keys);
void	 ui_status(struct ui *, bool error, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 ui_draw_status(struct ui *);
bool	 ui_too_small(struct ui *);
enum ui_key ui_key(struct ui *, wint_t *wc, int *code);
void	 ui_message(struct ui *, const char *title, const char *text);
bool	 ui_confirm(struct ui *, const char *question);
void	 ui_put(int row, int col, int cols, const char *utf8, attr_t);
void	 ui_set_language(const char *locale);

/* ui-lock.c */
void	 ui_lock_init(void);
void	 ui_lock_key(void);
bool	 ui_lock_idle(struct ui *);
__attribute__((noreturn)) void ui_hangup(struct ui *);

/* ui-login.c */
int	 ui_login_token(struct ui *, int fd, char **cause);
int	 ui_login_local(struct ui *, char **cause);
int	 ui_whoami(struct ui *, char **cause);
void	 ui_logout(struct ui *);

/* ui-menu.c */
void	 ui_menu(struct ui *);

/* ui-list.c: one list engine for every list screen. */
struct list_col {
	const char	*title;		/* msgid */
	int		 width;		/* columns; 0 = the rest */
};
struct list_view {
	const char		*title;
	const struct list_col	*cols;
	size_t			 ncols;
	char			***rows;	/* rows[i][j], UTF-8 */
	size_t			 nrows;
	size_t			 sel, top;
	void			(*open)(struct ui *, struct list_view *, size_t);
	void			*arg;
};
void	 list_run(struct ui *, struct list_view *);
void	 list_load(struct list_view *, PGresult *);
void	 list_free(struct list_view *);

/* form.c: the curses side of the form engine. */
struct form {
	const struct form_def	*def;
	struct edit		*values;
	size_t			 cur;
	bool			 dirty;
};
void	 form_init(struct form *, const struct form_def *);
void	 form_free(struct form *);
const char *form_value(struct form *, const char *name, char **tofree);
int	 form_validate(struct form *, struct ui *);
enum ui_key form_run(struct form *, struct ui *);

/* screen.c */
void	 screen_open(struct ui *, const struct menu_item *);

/* screen-consultation.c, screen-cases.c */
void	 screen_consultation(struct ui *);
void	 screen_my_cases(struct ui *);
void	 screen_unit_cases(struct ui *);
void	 screen_users(struct ui *);
const char *case_kind_label(const char *);
const char *case_state_label(const char *);

#endif
