/*
 * form.h — forms and menus as data (the .conf files in forms/), and the line editor
 * that edits one field in terminal columns.
 */
#ifndef CT_FORM_H
#define CT_FORM_H

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

/* form-load.c */
enum field_type { FT_TEXT, FT_MOBILE, FT_IDCARD };
struct field_def {
	char		*name;
	char		*label;		/* msgid */
	char		*help;		/* msgid, may be NULL */
	enum field_type	 type;
	int		 width;		/* terminal columns */
	int		 max_length;	/* characters */
	bool		 required;
	char		*def;		/* default value, may be NULL */
};
struct form_def {
	char		*name;
	char		*title;		/* msgid */
	struct field_def *fields;
	size_t		 nfields;
};
struct form_def	*form_load(const char *path, char **cause);
void		 form_def_free(struct form_def *);
int		 forms_check(const char *dir, char **cause);
const char	*field_validate(const struct field_def *, const char *value);
int		 form_error(char **cause, const char *file,
		    config_setting_t *, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
int		 form_check_keys(config_setting_t *, const char *const *allowed,
		    const char *file, char **cause);

/* menu-load.c */
struct menu_item {
	char		*label;		/* msgid */
	char		*screen;
	char		 key;		/* hot key, or 0 */
	unsigned	 roles;		/* any of these */
	unsigned	 levels;	/* at any of these */
};
struct menu_def {
	struct menu_item *items;
	size_t		 nitems;
};
extern const char *const screen_names[];
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

#endif
