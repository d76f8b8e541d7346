/*
 * form.h — forms and menus as data (the .conf files in forms/), and the line editor
 * that edits one field in terminal columns.
 */
#ifndef CT_FORM_H
#define CT_FORM_H

#include <time.h>

#include <libconfig.h>

#include "caseterm.h"

/* Roles and office levels, as bits; names as in the database. */
enum {
	ROLE_INTAKE	= 1 << 0,
	ROLE_DISPATCHER	= 1 << 1,
	ROLE_HANDLER	= 1 << 2,
	ROLE_SUPERVISOR	= 1 << 3,
	ROLE_FOLLOWUP	= 1 << 4,
	ROLE_ANALYST	= 1 << 5,
	ROLE_ADMIN	= 1 << 6,
};
enum {
	LEVEL_CITY	= 1 << 0,
	LEVEL_DISTRICT	= 1 << 1,
	LEVEL_TOWN	= 1 << 2,
	LEVEL_VILLAGE	= 1 << 3,
	LEVEL_GRID	= 1 << 4,
};
struct code_name {
	const char	*code;
	const char	*label;		/* msgid */
	unsigned	 bit;
};
extern const struct code_name role_names[];
extern const struct code_name level_names[];
unsigned	 code_bit(const struct code_name *, const char *);
const char	*code_label(const struct code_name *, const char *);

/* form-load.c: a form file into a struct form_def (forms/README). */
enum field_type {
	FT_TEXT, FT_INTEGER, FT_MONEY, FT_DATE, FT_DATETIME, FT_MOBILE,
	FT_IDCARD, FT_CHOICE, FT_FLAGS, FT_YESNO, FT_ORGUNIT, FT_PERSON,
	FT_PASSWORD
};
/* One entry of a code table: inline in a form file (label is a msgid) or
 * read from a named source (label is the database's text). */
struct choice {
	char		*code;
	char		*label;
	int		 depth;		/* in a tree: 0 at the root */
	char		*text;		/* what F4 adds to a text field */
};
struct choices {
	struct choice	*v;
	size_t		 n;
};
/* "shown (or required) only when field has a value": any value but "no"
 * when nvalues is 0, else one of values; negate turns it round. */
struct cond {
	int		 field;		/* index into the form's fields; -1: none */
	char		**values;
	size_t		 nvalues;
	bool		 negate;
};
/* The fields a person lookup fills in: indices, -1 for none. */
struct person_fills {
	int		 name, id_number, phone;
};
struct field_def {
	char		*name;
	char		*label;		/* msgid */
	char		*help;		/* msgid, may be NULL */
	enum field_type	 type;
	int		 width;		/* terminal columns */
	int		 height;	/* rows: more than 1 for multi-line text */
	int		 min_length;	/* characters */
	int		 max_length;	/* characters */
	bool		 required;
	char		*def;		/* default value, may be NULL */
	char		*pattern;	/* POSIX ERE the whole value matches */
	void		*pattern_re;	/* its compiled regex_t */
	char		*pattern_help;	/* msgid: why a value does not match */
	char		*min, *max;	/* bounds as text (integer, money, date) */
	struct choices	 choices;	/* inline code table */
	char		*source;	/* or a named source (form-source.c) */
	struct cond	 show_if, required_if;
	struct person_fills fills;	/* FT_PERSON */
	char		*page;		/* page_title: a new page starts here */
	char		*section;	/* section_title: a heading above this */
	int		 line;		/* in the form file */
};
struct form_page {
	char		*title;		/* msgid, may be NULL */
	size_t		 first, count;	/* its fields */
};
struct form_def {
	char		*name;
	char		*title;		/* msgid */
	struct field_def *fields;
	size_t		 nfields;
	struct form_page *pages;
	size_t		 npages;
	bool		 no_drafts;	/* drafts = false: a dialog, not a record */
	bool		 no_confirm_leave; /* confirm_leave = false: a search */
};
/* The rows a page may use on a 24-line screen (below the title, above the
 * status line), and the rows a page needs with one row per field. */
#define FORM_PAGE_ROWS	18
int		 form_page_rows(const struct form_def *, size_t page);
struct form_def	*form_load(const char *path, char **cause);
void		 form_def_free(struct form_def *);
int		 forms_check(const char *dir, char **cause);
int		 form_field_index(const struct form_def *, const char *name);
const char	*field_type_name(enum field_type);
bool		 field_is_choice(const struct field_def *);
int		 form_error(char **cause, const char *file,
		    config_setting_t *, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
int		 form_check_keys(config_setting_t *, const char *const *allowed,
		    const char *file, char **cause);

/* form-source.c: named code tables read from the database. */
bool		 form_source_known(const char *name, bool tree);
int		 form_source_load(struct db *, const char *name,
		    const char *lang, struct choices *, char **cause);

/* form-write.c: a struct form_def back into a form file. */
int		 form_write(const struct form_def *, const char *path,
		    char **cause);

/* form-field.c: what a typed value means, per field type. */
struct field_value {
	char		*value;		/* what is saved; NULL when empty */
	char		*display;	/* what the field shows after leaving */
	char		*why;		/* translated message when wrong */
};
/* 0 when text is acceptable for f (and *out holds the normalised value and
 * its display form), else -1 with out->why.  choices: the code table of a
 * choice, flags, yes/no or org unit field.  now: what "t" (today) means.
 * The caller frees *out with field_value_clear(). */
int		 field_check(const struct field_def *, const char *text,
		    bool required, const struct choices *, time_t now,
		    struct field_value *out);
void		 field_value_clear(struct field_value *);
/* The derived facts shown beside a field (an ID number's birth date and
 * sex), or NULL; caller frees. */
char		*field_hint(const struct field_def *, const char *text);
bool		 cond_holds(const struct cond *, const char *value);
int		 date_parse(const char *, time_t now, int *y, int *m, int *d);
int		 datetime_parse(const char *, time_t now, int *y, int *mo,
		    int *d, int *h, int *mi);
int		 money_parse(const char *, long long *cents);
int		 integer_parse(const char *, long long *);
extern const struct choices yesno_choices;

/* form-choice.c: code tables, matching what a clerk types. */
bool		 choice_matches(const struct choice *, const char *filter);
/* 0 and *idx for the one entry text names (its code or label, or a part
 * of just one), -1 when none does, 1 when several do. */
int		 choice_resolve(const struct choices *, const char *text,
		    size_t *idx);
void		 choices_free(struct choices *);
void		 choices_copy(struct choices *, const struct choices *,
		    bool translate);

/* menu-load.c */
struct menu_item {
	char		*label;		/* msgid */
	char		*screen;
	char		*count;		/* inbox whose count is shown, or NULL */
	char		 key;		/* hot key, or 0 */
	unsigned	 roles;		/* any of these */
	unsigned	 levels;	/* at any of these */
};
struct menu_def {
	struct menu_item *items;
	size_t		 nitems;
};
extern const char *const screen_names[];
extern const char *const inbox_names[];
struct menu_def	*menu_load(const char *path, char **cause);
void		 menu_def_free(struct menu_def *);
bool		 menu_allows(const struct menu_item *, unsigned roles,
		    unsigned level);

/* edit.c: a line editor counting terminal columns. */
struct edit {
	wchar_t		*buf;
	size_t		 len;		/* characters in buf */
	size_t		 size;
	size_t		 cur;		/* cursor, a character index */
	size_t		 first;		/* first character shown */
	size_t		 max;		/* most characters allowed */
	bool		 overwrite;
	bool		 multiline;	/* '\n' allowed; shown word-wrapped */
	size_t		 top;		/* multi-line: first line shown */
	int		 goal;		/* column kept by up/down; -1 none */
};
void	 edit_init(struct edit *, size_t max);
void	 edit_free(struct edit *);
void	 edit_set(struct edit *, const char *utf8);
char	*edit_get(const struct edit *);
int	 edit_insert(struct edit *, wchar_t);
void	 edit_backspace(struct edit *);
void	 edit_delete(struct edit *);
void	 edit_left(struct edit *);
void	 edit_right(struct edit *);
void	 edit_home(struct edit *);
void	 edit_end(struct edit *);
void	 edit_word_left(struct edit *);
void	 edit_word_right(struct edit *);
void	 edit_kill_start(struct edit *);
void	 edit_kill_end(struct edit *);
/* Scroll so the cursor shows in a field width columns wide.  *n gets how
 * many characters from e->first fit; *col the cursor's column. */
void	 edit_view(struct edit *, int width, size_t *n, int *col);

/* Multi-line: the text word-wrapped to width columns.  Lines break after a
 * space, around a Chinese character, at '\n', else anywhere; a space may
 * hang one column past width.  start[k] is where line k begins. */
struct edit_lines {
	size_t		*start;
	size_t		 n, alloc;
};
void	 edit_wrap(const struct edit *, int width, struct edit_lines *);
void	 edit_lines_free(struct edit_lines *);
/* The cursor's line and column within lines. */
void	 edit_where(const struct edit *, const struct edit_lines *,
	    size_t *line, int *col);
/* Scroll so the cursor's line is among height lines from e->top. */
void	 edit_scroll(struct edit *, const struct edit_lines *, int height);
/* Move a line up or down keeping the column; false at the first/last. */
bool	 edit_line_up(struct edit *, int width);
bool	 edit_line_down(struct edit *, int width);
void	 edit_line_home(struct edit *, int width);
void	 edit_line_end(struct edit *, int width);

#endif
