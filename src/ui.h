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
int	 ui_choose(struct ui *, const char *title, const char *const *items,
	    size_t n);
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
	attr_t			(*row_attr)(struct list_view *, size_t);
	/* A function key the list does not use itself (F5 "new ..."); the
	 * key bar then comes from keys. */
	void			(*key)(struct ui *, struct list_view *, int code);
	const char		*keys;		/* the key bar, or NULL */
	bool			 reload;	/* open() changed what it shows */
	void			*arg;
};
void	 list_run(struct ui *, struct list_view *);
void	 list_run_reload(struct ui *, struct list_view *,
	    int (*fill)(struct ui *, struct list_view *));
void	 list_load(struct list_view *, PGresult *);
void	 list_free(struct list_view *);
void	 list_translate_case_codes(struct list_view *);

/*
 * The curses side of the form engine: form.c runs a form (keys, moving,
 * validation), form-draw.c draws it, form-draft.c keeps drafts in the
 * database, form-person.c looks up persons, picklist.c is the F4 list.
 */
struct form {
	const struct form_def	*def;
	struct ui		*ui;
	struct edit		*values;	/* the text each field shows */
	struct choices		*lists;		/* code tables, loaded on demand */
	bool			*loaded;
	char			**errors;	/* what is wrong, translated */
	char			**hints;	/* shown right of the field */
	char			**looked;	/* the number a person was found by */
	bool			*fresh;		/* typing replaces the value */
	int			*rows;		/* screen row on this page, or -1 */
	int			*heads;		/* row of the section heading */
	size_t			 cur, page;
	int			 label_cols;
	bool			 dirty;		/* typed into since opened */
	bool			 drafted;	/* changed since the last draft */
	bool			 pasting;	/* inside a bracketed paste */
	time_t			 draft_at;	/* when the draft was last saved */
	char			*keys;		/* the key bar as last drawn */
};

/* form.c */
void	 form_init(struct form *, const struct form_def *, struct ui *);
void	 form_free(struct form *);
/* The value to save (normalised; "" when empty or hidden); *tofree for
 * the caller to free. */
const char *form_value(struct form *, const char *name, char **tofree);
bool	 form_shown(struct form *, size_t);
bool	 form_required(struct form *, size_t);
const struct choices *form_list(struct form *, size_t);
/* Check every shown field; on a mistake go to the first wrong one, say
 * what is wrong and return -1. */
int	 form_validate(struct form *);
/* Run the form until F2 (every field valid: UK_SAVE), or F3/Esc/F10 with
 * nothing typed or the clerk's consent (UK_BACK, UK_QUIT; the draft is
 * then discarded).  Call again after a refused save: nothing is lost. */
struct form_def *ui_form_load(struct ui *, const char *name);
enum ui_key form_run(struct form *);
void	 form_goto(struct form *, size_t field);

/* form-draw.c */
void	 form_layout(struct form *);
void	 form_draw(struct form *);
void	 form_draw_field(struct form *, size_t);
void	 form_draw_keys(struct form *);
void	 form_place_cursor(struct form *);
int	 form_text_cols(struct form *, size_t);

/* form-draft.c */
void	 form_draft_save(struct form *);
bool	 form_draft_resume(struct form *);
void	 form_draft_discard(struct form *);
void	 form_draft_tick(struct ui *, void *);
void	 form_draft_hangup(struct ui *, void *);
/* After login: offer to resume the newest draft.  The one hook into the
 * startup sequence (caseterm.c). */
void	 draft_offer(struct ui *);

/* form-person.c */
void	 form_person_lookup(struct form *, size_t);

/* picklist.c: the F4 list.  marks NULL: choose one, returns its index or
 * -1; marks (one per entry): choose several with Space, returns 0 with
 * marks updated, or -1. */
int	 picklist_run(struct ui *, const char *title, const struct choices *,
	    const char *filter, size_t sel, bool *marks);

/* case-action.c, case-receipt.c, screen-case.c: one case and its steps. */
#define CASE_ACTION_FIELDS	5
struct case_action {
	const char	*code;		/* as allowed_actions() names it */
	const char	*label;		/* msgid */
	const char	*form;		/* forms/NAME.conf, or NULL: confirm */
	const char	*sql;		/* $1 case, $2 version, $3.. fields */
	const char	*fields[CASE_ACTION_FIELDS];
};
struct case_ref {
	char		 id[24];
	char		 version[16];	/* as the clerk last saw it */
	char		 no[32];
};
const struct case_action *case_action_find(const char *code);
bool	 case_action_run(struct ui *, const struct case_action *,
	    struct case_ref *);
void	 case_ref_reload(struct ui *, struct case_ref *);
void	 case_receipt(struct ui *, struct case_ref *);
const char *case_warning_label(const char *);
void	 screen_case(struct ui *, long long id);
void	 screen_inbox(struct ui *, const char *box);
void	 screen_intake(struct ui *, const char *kind);
void	 case_list_run(struct ui *, const char *title,
	    const struct list_col *, size_t ncols, bool warning,
	    const char *sql, int n, const char *const *p);
void	 screen_search(struct ui *, const char *);

/* screen.c */
void	 screen_open(struct ui *, const struct menu_item *);

/* dialog.c: an administrator's dialog form that calls one statement. */
#define DIALOG_FIELDS	8
struct dialog {
	const char	*form;		/* forms/NAME.conf, drafts = false */
	const char	*title;		/* msgid, or NULL: the form's */
	const char	*sql;		/* $1 the object (if any), then fields */
	const char	*fields[DIALOG_FIELDS];
};
bool	 dialog_run(struct ui *, const struct dialog *, const char *object,
	    const char *const *defaults, char **result);
bool	 dialog_confirm(struct ui *, const char *question, const char *sql,
	    const char *object, const char *done);

/* pager.c: lines of text to scroll through. */
struct pager {
	const char	*title;
	const char	*keys;		/* the key bar, or NULL */
	char		**lines;
	attr_t		*attrs;
	size_t		 n, alloc, top;
	void		(*key)(struct ui *, struct pager *, int code);
	void		*arg;
};
void	 pager_add(struct pager *, attr_t, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 pager_clear(struct pager *);
void	 pager_run(struct ui *, struct pager *);

/* screen-users.c, screen-sessions.c, screen-units.c, screen-audit.c,
 * screen-figures.c: administration, the audit trail, figures. */
void	 screen_users(struct ui *);
void	 screen_sessions(struct ui *);
void	 screen_units(struct ui *);
void	 screen_audit(struct ui *);
void	 screen_figures(struct ui *);
void	 screen_dashboard(struct ui *);
void	 screen_zero_report(struct ui *);
void	 screen_knowledge(struct ui *);

/* screen-tables.c: code tables, the working calendar, deadline limits. */
void	 screen_codes(struct ui *);
void	 screen_calendar(struct ui *);
void	 screen_deadlines(struct ui *);

/* case-facts.c: a case's category, place, amount and intake details. */
PGresult *case_facts_load(struct ui *, const char *case_id, char **cause);
void	 case_facts_draw(PGresult *, int *row);

/* case-reveal.c: F7 on a case, the applicant's personal data in full. */
void	 case_reveal(struct ui *, const char *case_id);

/* screen-consultation.c, screen-mediation.c, screen-cases.c */
void	 screen_mediation(struct ui *, const char *channel);
void	 screen_my_cases(struct ui *);
void	 screen_unit_cases(struct ui *);
void	 screen_users(struct ui *);
const char *case_kind_label(const char *);
const char *case_state_label(const char *);

#endif
