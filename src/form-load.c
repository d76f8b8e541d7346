/*
 * form-load.c — reads a form definition (forms/NAME.conf, libconfig syntax;
 * forms/README documents it) into a struct form_def: fields, their types,
 * sizes, validation, code tables, conditions, pages and sections.  Every
 * mistake in a form file is reported as "file:line: what is wrong";
 * casetermd -t and the server start check every form, so a broken one never
 * reaches a clerk.  What a typed value means is form-field.c's business.
 */
#include <dirent.h>
#include <libgen.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "form.h"

const struct code_name role_names[] = {
	{ "intake",	N_("Intake clerk"),	ROLE_INTAKE },
	{ "dispatcher",	N_("Dispatcher"),	ROLE_DISPATCHER },
	{ "handler",	N_("Handler"),		ROLE_HANDLER },
	{ "supervisor",	N_("Supervisor"),	ROLE_SUPERVISOR },
	{ "followup",	N_("Follow-up clerk"),	ROLE_FOLLOWUP },
	{ "analyst",	N_("Analyst"),		ROLE_ANALYST },
	{ "admin",	N_("Administrator"),	ROLE_ADMIN },
	{ NULL, NULL, 0 }
};
const struct code_name level_names[] = {
	{ "city",	N_("City"),		LEVEL_CITY },
	{ "district",	N_("District"),		LEVEL_DISTRICT },
	{ "town",	N_("Town"),		LEVEL_TOWN },
	{ "village",	N_("Village"),		LEVEL_VILLAGE },
	{ "grid",	N_("Grid"),		LEVEL_GRID },
	{ NULL, NULL, 0 }
};

/* Field types by name; bit is the enum field_type plus one. */
static const struct code_name field_types[] = {
	{ "text", NULL, FT_TEXT + 1 },
	{ "integer", NULL, FT_INTEGER + 1 },
	{ "money", NULL, FT_MONEY + 1 },
	{ "date", NULL, FT_DATE + 1 },
	{ "datetime", NULL, FT_DATETIME + 1 },
	{ "mobile", NULL, FT_MOBILE + 1 },
	{ "idcard", NULL, FT_IDCARD + 1 },
	{ "choice", NULL, FT_CHOICE + 1 },
	{ "flags", NULL, FT_FLAGS + 1 },
	{ "yesno", NULL, FT_YESNO + 1 },
	{ "org_unit", NULL, FT_ORGUNIT + 1 },
	{ "person", NULL, FT_PERSON + 1 },
	{ "password", NULL, FT_PASSWORD + 1 },
	{ NULL, NULL, 0 }
};

/* Default width and length per type: what a value of the type needs. */
static const struct { int width, max_length; } field_sizes[] = {
	[FT_TEXT] = { 20, 100 },	[FT_INTEGER] = { 10, 18 },
	[FT_MONEY] = { 14, 20 },	[FT_DATE] = { 10, 12 },
	[FT_DATETIME] = { 16, 20 },	[FT_MOBILE] = { 16, 20 },
	[FT_IDCARD] = { 18, 18 },	[FT_CHOICE] = { 20, 100 },
	[FT_FLAGS] = { 40, 500 },	[FT_YESNO] = { 6, 10 },
	[FT_ORGUNIT] = { 30, 100 },	[FT_PERSON] = { 18, 24 },
	[FT_PASSWORD] = { 20, 100 },
};

const char *
field_type_name(enum field_type t)
{
	const struct code_name	*c;

	for (c = field_types; c->code != NULL; c++)
		if (c->bit == (unsigned)t + 1)
			return c->code;
	return "?";
}

bool
field_is_choice(const struct field_def *f)
{
	return f->type == FT_CHOICE || f->type == FT_FLAGS ||
	    f->type == FT_YESNO || f->type == FT_ORGUNIT;
}

unsigned
code_bit(const struct code_name *t, const char *code)
{
	for (; t->code != NULL; t++)
		if (strcmp(t->code, code) == 0)
			return t->bit;
	return 0;
}

const char *
code_label(const struct code_name *t, const char *code)
{
	for (; t->code != NULL; t++)
		if (strcmp(t->code, code) == 0)
			return t->label;
	return code;
}

/* "file:line: message" into *cause; always -1.  Shared with menu-load.c. */
int
form_error(char **cause, const char *file, config_setting_t *s,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf_str(fmt, ap);
	va_end(ap);
	xasprintf(cause, "%s:%d: %s", file,
	    s != NULL ? config_setting_source_line(s) : 0, msg);
	free(msg);
	return -1;
}

/* Every member of group s must be named in allowed. */
int
form_check_keys(config_setting_t *s, const char *const *allowed,
    const char *file, char **cause)
{
	config_setting_t	*c;
	const char *const	*a;
	int			 i;

	for (i = 0; (c = config_setting_get_elem(s, (unsigned)i)) != NULL; i++) {
		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, config_setting_name(c)) == 0)
				break;
		if (*a == NULL)
			return form_error(cause, file, c, "unknown setting '%s'",
			    config_setting_name(c));
	}
	return 0;
}

static int
form_string(config_setting_t *s, const char *name, bool required,
    char **out, const char *file, char **cause)
{
	config_setting_t	*c = config_setting_get_member(s, name);
	const char		*v;

	*out = NULL;
	if (c == NULL) {
		if (required)
			return form_error(cause, file, s, "missing '%s'", name);
		return 0;
	}
	if ((v = config_setting_get_string(c)) == NULL)
		return form_error(cause, file, c, "'%s' must be a string", name);
	if (required && *v == '\0')
		return form_error(cause, file, c, "'%s' must not be empty", name);
	*out = xstrdup(v);
	return 0;
}

static int
form_int(config_setting_t *s, const char *name, int def, int lo, int hi,
    int *out, const char *file, char **cause)
{
	config_setting_t	*c = config_setting_get_member(s, name);

	*out = def;
	if (c == NULL)
		return 0;
	if (config_setting_type(c) != CONFIG_TYPE_INT)
		return form_error(cause, file, c, "'%s' must be a number", name);
	*out = config_setting_get_int(c);
	if (*out < lo || *out > hi)
		return form_error(cause, file, c, "'%s' is out of range", name);
	return 0;
}

static int
form_bool(config_setting_t *s, const char *name, bool *out,
    const char *file, char **cause)
{
	config_setting_t	*c = config_setting_get_member(s, name);

	if (c == NULL)
		return 0;
	if (config_setting_type(c) != CONFIG_TYPE_BOOL)
		return form_error(cause, file, c, "'%s' must be true or false",
		    name);
	*out = config_setting_get_bool(c);
	return 0;
}

/* A name a field may be saved as, and a code of a code table. */
static bool
form_is_name(const char *s)
{
	if (*s < 'a' || *s > 'z')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_'))
			return false;
	return true;
}

/* min/max: a number or a string, kept as text, checked with the parser of
 * the field's type. */
static int
form_bound(config_setting_t *s, const char *name, struct field_def *f,
    char **out, const char *file, char **cause)
{
	config_setting_t	*c = config_setting_get_member(s, name);
	long long		 v;
	int			 y, m, d, ok;

	*out = NULL;
	if (c == NULL)
		return 0;
	if (f->type != FT_INTEGER && f->type != FT_MONEY &&
	    f->type != FT_DATE && f->type != FT_DATETIME)
		return form_error(cause, file, c, "'%s' is only for integer, "
		    "money, date and datetime fields", name);
	switch (config_setting_type(c)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		xasprintf(out, "%lld", config_setting_get_int64(c));
		break;
	case CONFIG_TYPE_FLOAT:
		xasprintf(out, "%.2f", config_setting_get_float(c));
		break;
	case CONFIG_TYPE_STRING:
		*out = xstrdup(config_setting_get_string(c));
		break;
	default:
		return form_error(cause, file, c, "'%s' must be a number or "
		    "a string", name);
	}
	if (f->type == FT_INTEGER)
		ok = integer_parse(*out, &v) == 0;
	else if (f->type == FT_MONEY)
		ok = money_parse(*out, &v) == 0;
	else
		ok = date_parse(*out, time(NULL), &y, &m, &d) == 0;
	if (!ok)
		return form_error(cause, file, c, "'%s' is not a valid %s",
		    name, f->type == FT_INTEGER ? "whole number" :
		    f->type == FT_MONEY ? "amount" : "date (YYYY-MM-DD or t±N)");
	return 0;
}

/* One code table entry: { code = "..."; label = "..."; } or ("code", "label"). */
static int
form_choice(config_setting_t *c, struct choice *ch, const char *file,
    char **cause)
{
	static const char *const keys[] = { "code", "label", NULL };
	const char	*code, *label;

	if (config_setting_is_group(c)) {
		if (form_check_keys(c, keys, file, cause) != 0 ||
		    form_string(c, "code", true, &ch->code, file, cause) != 0 ||
		    form_string(c, "label", true, &ch->label, file, cause) != 0)
			return -1;
	} else if ((config_setting_is_list(c) || config_setting_is_array(c)) &&
	    config_setting_length(c) == 2 &&
	    (code = config_setting_get_string_elem(c, 0)) != NULL &&
	    (label = config_setting_get_string_elem(c, 1)) != NULL) {
		ch->code = xstrdup(code);
		ch->label = xstrdup(label);
	} else
		return form_error(cause, file, c, "%s", "a choice must be "
		    "{ code = \"...\"; label = \"...\"; } or (\"code\", \"label\")");
	if (*ch->code == '\0' || strchr(ch->code, ',') != NULL ||
	    *ch->label == '\0')
		return form_error(cause, file, c, "%s", "a choice needs a code "
		    "without commas and a label");
	return 0;
}

static int
form_choices(config_setting_t *s, struct field_def *f, const char *file,
    char **cause)
{
	config_setting_t	*c = config_setting_get_member(s, "choices");
	size_t			 i, j;

	if (c == NULL)
		return 0;
	if (!config_setting_is_list(c) || config_setting_length(c) == 0)
		return form_error(cause, file, c, "%s", "'choices' must be a "
		    "non-empty list ( { code = ...; label = ...; }, ... )");
	f->choices.n = (size_t)config_setting_length(c);
	f->choices.v = xcalloc(f->choices.n, sizeof *f->choices.v);
	for (i = 0; i < f->choices.n; i++) {
		config_setting_t *e = config_setting_get_elem(c, (unsigned)i);
		if (form_choice(e, &f->choices.v[i], file, cause) != 0)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(f->choices.v[j].code, f->choices.v[i].code)
			    == 0)
				return form_error(cause, file, e, "choice '%s' "
				    "is listed twice", f->choices.v[i].code);
	}
	return 0;
}

/* "field", "field=a|b" or "field!=a": the name is resolved later. */
static int
form_cond(config_setting_t *s, const char *name, struct cond *c,
    char **field, const char *file, char **cause)
{
	char	*v, *eq, *p, *tok;

	c->field = -1;
	if (form_string(s, name, false, &v, file, cause) != 0)
		return -1;
	if (v == NULL)
		return 0;
	if ((eq = strchr(v, '=')) != NULL) {
		if (eq > v && eq[-1] == '!') {
			c->negate = true;
			eq[-1] = '\0';
		}
		*eq++ = '\0';
		for (p = eq; (tok = strsep(&p, "|")) != NULL;) {
			if (*tok == '\0') {
				free(v);
				return form_error(cause, file,
				    config_setting_get_member(s, name),
				    "'%s' has an empty value", name);
			}
			c->values = xreallocarray(c->values, c->nvalues + 1,
			    sizeof *c->values);
			c->values[c->nvalues++] = xstrdup(tok);
		}
	}
	*field = v;	/* the name before '=' */
	return 0;
}

/* The fields a person lookup fills: fills = { name = "..."; ... }. */
static int
form_fills(config_setting_t *s, struct field_def *f, char **names,
    const char *file, char **cause)
{
	static const char *const keys[] = { "name", "id_number", "phone", NULL };
	config_setting_t	*c = config_setting_get_member(s, "fills");
	int			 i;

	f->fills.name = f->fills.id_number = f->fills.phone = -1;
	if (c == NULL)
		return 0;
	if (f->type != FT_PERSON)
		return form_error(cause, file, c, "%s",
		    "'fills' is only for person fields");
	if (!config_setting_is_group(c))
		return form_error(cause, file, c, "%s",
		    "'fills' must be { name = \"field\"; ... }");
	if (form_check_keys(c, keys, file, cause) != 0)
		return -1;
	for (i = 0; i < 3; i++)
		if (form_string(c, keys[i], false, &names[i], file, cause) != 0)
			return -1;
	return 0;
}

static int
form_pattern(struct field_def *f, config_setting_t *s, const char *file,
    char **cause)
{
	regex_t	*re;
	char	*anchored;
	int	 r;

	if (f->pattern == NULL)
		return 0;
	if (field_is_choice(f))
		return form_error(cause, file, config_setting_get_member(s,
		    "pattern"), "%s", "'pattern' is not for choice fields");
	xasprintf(&anchored, "^(%s)$", f->pattern);
	re = xcalloc(1, sizeof *re);
	r = regcomp(re, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (r != 0) {
		free(re);
		return form_error(cause, file, config_setting_get_member(s,
		    "pattern"), "%s", "'pattern' is not a valid extended "
		    "regular expression");
	}
	f->pattern_re = re;
	return 0;
}

/* What belongs to which type: code tables, sizes, bounds. */
static int
form_field_rules(config_setting_t *s, struct field_def *f, const char *file,
    char **cause)
{
	config_setting_t	*c;
	bool			 table = f->choices.n > 0 || f->source != NULL;

	if ((f->type == FT_CHOICE || f->type == FT_FLAGS) && !table)
		return form_error(cause, file, s, "a %s field needs 'choices' "
		    "or 'source'", field_type_name(f->type));
	if (f->choices.n > 0 && f->source != NULL)
		return form_error(cause, file, config_setting_get_member(s,
		    "source"), "%s", "'choices' and 'source' exclude each other");
	if (table && f->type != FT_CHOICE && f->type != FT_FLAGS &&
	    !((f->type == FT_ORGUNIT || f->type == FT_TEXT) &&
	    f->source != NULL))
		return form_error(cause, file, config_setting_get_member(s,
		    f->source != NULL ? "source" : "choices"), "a %s field "
		    "takes no code table", field_type_name(f->type));
	if (f->source != NULL && !form_source_known(f->source, f->type ==
	    FT_ORGUNIT))
		return form_error(cause, file, config_setting_get_member(s,
		    "source"), "unknown source '%s'", f->source);
	if (f->type == FT_ORGUNIT && f->source == NULL)
		f->source = xstrdup("org_units");
	if ((c = config_setting_get_member(s, "height")) != NULL &&
	    f->type != FT_TEXT)
		return form_error(cause, file, c, "%s",
		    "'height' is only for text fields");
	if ((c = config_setting_get_member(s, "min_length")) != NULL &&
	    f->type != FT_TEXT && f->type != FT_PASSWORD)
		return form_error(cause, file, c, "%s",
		    "'min_length' is only for text and password fields");
	if ((c = config_setting_get_member(s, "default")) != NULL &&
	    f->type == FT_PASSWORD)
		return form_error(cause, file, c, "%s",
		    "a password field takes no 'default'");
	if (f->min_length > f->max_length)
		return form_error(cause, file, s, "%s",
		    "'min_length' is more than 'max_length'");
	return 0;
}

/* A default must be a value the field accepts (code tables from the
 * database are checked when the form opens). */
static int
form_default(config_setting_t *s, struct field_def *f, const char *file,
    char **cause)
{
	struct field_value	 v;
	int			 r;

	if (f->def == NULL || *f->def == '\0' || f->source != NULL)
		return 0;
	r = field_check(f, f->def, false, f->type == FT_YESNO ?
	    &yesno_choices : &f->choices, time(NULL), &v);
	if (r != 0)
		form_error(cause, file, config_setting_get_member(s, "default"),
		    "default '%s' is not valid: %s", f->def, v.why);
	field_value_clear(&v);
	return r;
}

static int
form_field(config_setting_t *s, struct field_def *f, char **refs,
    const char *file, char **cause)
{
	static const char *const keys[] = { "name", "label", "type", "width",
	    "height", "min_length", "max_length", "required", "default",
	    "help", "pattern", "pattern_help", "min", "max", "choices",
	    "source", "show_if", "required_if", "fills", "page_title",
	    "section_title", NULL };
	char			*type = NULL;
	unsigned		 t;
	int			 maxlen;

	f->line = config_setting_source_line(s);
	f->show_if.field = f->required_if.field = -1;
	f->fills.name = f->fills.id_number = f->fills.phone = -1;
	if (!config_setting_is_group(s))
		return form_error(cause, file, s, "%s", "a field must be a group "
		    "{ name = ...; label = ...; type = ...; }");
	if (form_check_keys(s, keys, file, cause) != 0 ||
	    form_string(s, "name", true, &f->name, file, cause) != 0 ||
	    form_string(s, "label", true, &f->label, file, cause) != 0 ||
	    form_string(s, "help", false, &f->help, file, cause) != 0 ||
	    form_string(s, "default", false, &f->def, file, cause) != 0 ||
	    form_string(s, "pattern", false, &f->pattern, file, cause) != 0 ||
	    form_string(s, "pattern_help", false, &f->pattern_help, file,
	    cause) != 0 ||
	    form_string(s, "source", false, &f->source, file, cause) != 0 ||
	    form_string(s, "page_title", false, &f->page, file, cause) != 0 ||
	    form_string(s, "section_title", false, &f->section, file,
	    cause) != 0 ||
	    form_string(s, "type", true, &type, file, cause) != 0)
		goto fail;
	if (!form_is_name(f->name)) {
		form_error(cause, file, config_setting_get_member(s, "name"),
		    "field name '%s' must be lower-case letters, digits and _",
		    f->name);
		goto fail;
	}
	if ((t = code_bit(field_types, type)) == 0) {
		form_error(cause, file, config_setting_get_member(s, "type"),
		    "unknown field type '%s'", type);
		goto fail;
	}
	f->type = (enum field_type)(t - 1);
	free(type);
	type = NULL;
	maxlen = field_sizes[f->type].max_length;
	if (form_int(s, "height", 1, 1, 10, &f->height, file, cause) != 0)
		goto fail;
	if (f->height > 1)
		maxlen = 2000;
	if (form_int(s, "width", field_sizes[f->type].width, 1, 200,
	    &f->width, file, cause) != 0 ||
	    form_int(s, "max_length", maxlen, 1, 10000, &f->max_length, file,
	    cause) != 0 ||
	    form_int(s, "min_length", 0, 0, 10000, &f->min_length, file,
	    cause) != 0 ||
	    form_bool(s, "required", &f->required, file, cause) != 0 ||
	    form_bound(s, "min", f, &f->min, file, cause) != 0 ||
	    form_bound(s, "max", f, &f->max, file, cause) != 0 ||
	    form_choices(s, f, file, cause) != 0 ||
	    form_field_rules(s, f, file, cause) != 0 ||
	    form_pattern(f, s, file, cause) != 0 ||
	    form_cond(s, "show_if", &f->show_if, &refs[0], file, cause) != 0 ||
	    form_cond(s, "required_if", &f->required_if, &refs[1], file,
	    cause) != 0 ||
	    form_fills(s, f, &refs[2], file, cause) != 0 ||
	    form_default(s, f, file, cause) != 0)
		goto fail;
	return 0;
fail:
	free(type);
	return -1;
}

int
form_field_index(const struct form_def *fd, const char *name)
{
	size_t	 i;

	for (i = 0; i < fd->nfields; i++)
		if (strcmp(fd->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Field names in conditions and fills, once every field is known.  refs
 * holds 5 names per field: show_if, required_if, fills name/id/phone. */
static int
form_resolve(struct form_def *fd, config_setting_t *fields, char **refs,
    const char *file, char **cause)
{
	static const char *const what[] = { "show_if", "required_if", "fills",
	    "fills", "fills" };
	struct field_def	*f;
	config_setting_t	*s;
	int			*slot[5], k, j;
	size_t			 i;

	for (i = 0; i < fd->nfields; i++) {
		f = &fd->fields[i];
		s = config_setting_get_elem(fields, (unsigned)i);
		slot[0] = &f->show_if.field;
		slot[1] = &f->required_if.field;
		slot[2] = &f->fills.name;
		slot[3] = &f->fills.id_number;
		slot[4] = &f->fills.phone;
		for (k = 0; k < 5; k++) {
			const char *r = refs[i * 5 + (size_t)k];
			if (r == NULL)
				continue;
			if ((j = form_field_index(fd, r)) < 0 || (size_t)j == i)
				return form_error(cause, file,
				    config_setting_get_member(s, what[k]),
				    "'%s' names %s field '%s'", what[k],
				    j < 0 ? "no" : "its own", r);
			/* A condition looks back, so conditions never loop. */
			if (k < 2 && (size_t)j > i)
				return form_error(cause, file,
				    config_setting_get_member(s, what[k]),
				    "'%s' must name a field above this one",
				    what[k]);
			*slot[k] = j;
		}
	}
	return 0;
}

/* The rows page p takes with one row per line of each field and a row for
 * each section heading (and a blank one above it, unless it is first). */
int
form_page_rows(const struct form_def *fd, size_t p)
{
	const struct form_page	*pg = &fd->pages[p];
	size_t			 i;
	int			 rows = 0;

	for (i = pg->first; i < pg->first + pg->count; i++) {
		if (fd->fields[i].section != NULL)
			rows += i == pg->first ? 1 : 2;
		rows += fd->fields[i].height;
	}
	return rows;
}

static int
form_paginate(struct form_def *fd, config_setting_t *fields,
    const char *file, char **cause)
{
	size_t	 i;
	int	 rows;

	for (i = 0; i < fd->nfields; i++) {
		if (i == 0 || fd->fields[i].page != NULL) {
			fd->pages = xreallocarray(fd->pages, fd->npages + 1,
			    sizeof *fd->pages);
			fd->pages[fd->npages].title = fd->fields[i].page;
			fd->pages[fd->npages].first = i;
			fd->pages[fd->npages].count = 0;
			fd->npages++;
		}
		fd->pages[fd->npages - 1].count++;
	}
	for (i = 0; i < fd->npages; i++) {
		if ((rows = form_page_rows(fd, i)) > FORM_PAGE_ROWS)
			return form_error(cause, file, config_setting_get_elem(
			    fields, (unsigned)fd->pages[i].first), "page %zu "
			    "needs %d rows; a 24-line screen has %d (start a "
			    "new page with 'page_title')", i + 1, rows,
			    FORM_PAGE_ROWS);
	}
	return 0;
}

struct form_def *
form_load(const char *path, char **cause)
{
	static const char *const keys[] = { "name", "title", "fields",
	    "drafts", "confirm_leave", NULL };
	config_t		 lc;
	config_setting_t	*form, *fields = NULL;
	bool			 drafts = true, confirm_leave = true;
	struct form_def		*fd;
	char			**refs = NULL, *copy, *base;
	size_t			 i, j, nrefs = 0;

	*cause = NULL;
	fd = xcalloc(1, sizeof *fd);
	config_init(&lc);
	if (config_read_file(&lc, path) != CONFIG_TRUE) {
		xasprintf(cause, "%s:%d: %s", path, config_error_line(&lc),
		    config_error_text(&lc));
		goto fail;
	}
	if ((form = config_lookup(&lc, "form")) == NULL ||
	    !config_setting_is_group(form)) {
		form_error(cause, path, form, "%s", "missing 'form = { ... };'");
		goto fail;
	}
	if (form_check_keys(form, keys, path, cause) != 0 ||
	    form_string(form, "name", true, &fd->name, path, cause) != 0 ||
	    form_string(form, "title", true, &fd->title, path, cause) != 0)
		goto fail;
	if (form_bool(form, "drafts", &drafts, path, cause) != 0 ||
	    form_bool(form, "confirm_leave", &confirm_leave, path, cause) != 0)
		goto fail;
	fd->no_drafts = !drafts;
	fd->no_confirm_leave = !confirm_leave;
	fields = config_setting_get_member(form, "fields");
	if (fields == NULL || !config_setting_is_list(fields) ||
	    config_setting_length(fields) == 0) {
		form_error(cause, path, fields != NULL ? fields : form, "%s",
		    "'fields' must be a non-empty list ( { ... }, ... )");
		goto fail;
	}
	fd->nfields = (size_t)config_setting_length(fields);
	fd->fields = xcalloc(fd->nfields, sizeof *fd->fields);
	nrefs = fd->nfields * 5;
	refs = xcalloc(nrefs, sizeof *refs);
	for (i = 0; i < fd->nfields; i++) {
		config_setting_t *s = config_setting_get_elem(fields, (unsigned)i);
		if (form_field(s, &fd->fields[i], &refs[i * 5], path,
		    cause) != 0)
			goto fail;
		for (j = 0; j < i; j++) {
			if (strcmp(fd->fields[j].name, fd->fields[i].name) == 0) {
				form_error(cause, path, s, "field '%s' is "
				    "defined twice", fd->fields[i].name);
				goto fail;
			}
		}
	}
	if (form_resolve(fd, fields, refs, path, cause) != 0 ||
	    form_paginate(fd, fields, path, cause) != 0)
		goto fail;
	/* What is typed into a draft is stored: never a password. */
	for (i = 0; i < fd->nfields && !fd->no_drafts; i++) {
		if (fd->fields[i].type == FT_PASSWORD) {
			form_error(cause, path, config_setting_get_elem(fields,
			    (unsigned)i), "%s", "a form with a password field "
			    "needs 'drafts = false;'");
			goto fail;
		}
	}
	/* Drafts and screens know a form by its file's name. */
	copy = xstrdup(path);
	base = basename(copy);
	base[strcspn(base, ".")] = '\0';
	if (strcmp(base, fd->name) != 0) {
		form_error(cause, path, config_setting_get_member(form, "name"),
		    "the form's name must be '%s', as its file's", base);
		free(copy);
		goto fail;
	}
	free(copy);
	for (i = 0; i < nrefs; i++)
		free(refs[i]);
	free(refs);
	config_destroy(&lc);
	return fd;
fail:
	for (i = 0; i < nrefs; i++)
		free(refs[i]);
	free(refs);
	config_destroy(&lc);
	form_def_free(fd);
	return NULL;
}

static void
cond_free(struct cond *c)
{
	size_t	 i;

	for (i = 0; i < c->nvalues; i++)
		free(c->values[i]);
	free(c->values);
}

void
form_def_free(struct form_def *fd)
{
	struct field_def	*f;
	size_t			 i;

	if (fd == NULL)
		return;
	for (i = 0; i < fd->nfields; i++) {
		f = &fd->fields[i];
		free(f->name);
		free(f->label);
		free(f->help);
		free(f->def);
		free(f->pattern);
		if (f->pattern_re != NULL)
			regfree(f->pattern_re);
		free(f->pattern_re);
		free(f->pattern_help);
		free(f->min);
		free(f->max);
		choices_free(&f->choices);
		free(f->source);
		cond_free(&f->show_if);
		cond_free(&f->required_if);
		free(f->page);
		free(f->section);
	}
	free(fd->fields);
	free(fd->pages);
	free(fd->name);
	free(fd->title);
	free(fd);
}

/* Load every .conf file in the forms folder; menus.conf is a menu, the others are forms. */
int
forms_check(const char *dir, char **cause)
{
	struct dirent	**names;
	char		 *path;
	int		  i, n, ret = 0;
	size_t		  len;

	*cause = NULL;
	if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
		xasprintf(cause, "%s: cannot read the forms folder", dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		len = strlen(names[i]->d_name);
		if (ret == 0 && len > 5 &&
		    strcmp(names[i]->d_name + len - 5, ".conf") == 0) {
			xasprintf(&path, "%s/%s", dir, names[i]->d_name);
			if (strcmp(names[i]->d_name, "menus.conf") == 0) {
				struct menu_def *m = menu_load(path, cause);
				ret = m == NULL ? -1 : 0;
				menu_def_free(m);
			} else {
				struct form_def *f = form_load(path, cause);
				ret = f == NULL ? -1 : 0;
				form_def_free(f);
			}
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}
